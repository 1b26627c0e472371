/**
 * Whether a version stands in an environment, for the next environment's gate: deployed there and
 * not withdrawn since (deployment-stack.ts `withdrawnBy`), and whether only by override.
 */

import type { ServedModel } from './deployed-model.js';
import { deploymentOf, replayDeployments, type DeploymentEvent } from './deployment-stack.js';

/** Whether a version stands in an environment (the previous-environment gate's fact). */
export interface StandingThere {
  /** Deployed there with settings `sameRequest` accepts, and not rolled back there since. */
  deployed: boolean;
  /** Deployed there, but only with settings `sameRequest` refuses. */
  otherSettings?: true;
  /** Deployed there with accepted settings, then taken off by a rollback (this event, when known). */
  rolledBack?: { seq?: number };
  /** Deployed there with accepted settings, then left behind by a deploy of an older version (`to`, by this event when known). */
  downgraded?: { seq?: number; to: string };
  /**
   * It stands there only by override (each standing deploy of it forced past failed gates): the
   * gates it skipped there, as that event recorded them (`detail.skipped`), newest override's.
   */
  byOverride?: { seq?: number; skipped: string[] };
}

/** An override event's number and the gates it skipped, as it recorded them (`detail.skipped`). */
export function overrideOf(e: Pick<DeploymentEvent, 'seq' | 'detail'>): { seq?: number; skipped: string[] } {
  const skipped = Array.isArray(e.detail?.skipped) ? e.detail.skipped.filter((x): x is string => typeof x === 'string') : [];
  return { ...(e.seq !== undefined ? { seq: e.seq } : {}), skipped };
}

/**
 * Replays one environment's events for `version`: a deploy of it counts while it has not been
 * withdrawn there since, by a rollback or by a deploy of an older version over it (that
 * environment's verdict on it; a newer version deployed over it withdraws nothing), unless a
 * rollback returned to it. Each deploy event is judged by itself: deploying the version again after
 * a withdrawal counts that deploy alone, so one forced back in stands as the override it is.
 * `sameRequest` says which recorded settings count (an event that recorded none is given `undefined`).
 */
export function standingThere(events: readonly DeploymentEvent[], version: string, sameRequest: (served: ServedModel | undefined) => boolean): StandingThere {
  const { withdrawnBy } = replayDeployments(events);
  const deploys = events.flatMap((e, i) => (e.version === version && (e.action === 'deploy' || e.action === 'override') ? [{ event: e, served: deploymentOf(e).served, withdrawal: withdrawnBy[i] }] : []));
  const matching = deploys.filter((d) => sameRequest(d.served));
  const standing = matching.filter((d) => !d.withdrawal).map((d) => d.event);
  if (standing.length) {
    // Overrides only: it reached that environment past its gates, which the next one may not accept.
    if (!standing.every((e) => e.action === 'override')) return { deployed: true };
    return { deployed: true, byOverride: overrideOf(standing[standing.length - 1]!) };
  }
  if (!matching.length) return { deployed: false, ...(deploys.length ? { otherSettings: true as const } : {}) };
  // Each matching deploy was withdrawn by some event: the latest of them is the environment's verdict
  // (not the one that withdrew the newest deploy: an earlier deploy of it may have been withdrawn later).
  const latest = matching.map((d) => d.withdrawal!).reduce((a, b) => ((b.by ?? -1) > (a.by ?? -1) ? b : a));
  const seq = latest.by !== undefined ? { seq: latest.by } : {};
  return latest.how === 'downgrade' ? { deployed: false, downgraded: { ...seq, to: latest.to } } : { deployed: false, rolledBack: seq };
}
