/**
 * What is active in one environment, computed from the audit events alone (the log is the source
 * of truth; nothing else stores "active"): the stack a rollback walks back through (its plan is
 * rollback.ts), and which deploys no longer stand there because the environment went back below
 * them (`withdrawnBy`, which standing-there.ts turns into the previous-environment gate's fact).
 *
 * The model is a stack of deployments: a version as one deploy served it (model and request
 * settings). A deploy (or override) of a version other than the one on top, or of that version on
 * another model or with other settings, pushes it; deploying the active version again the same way
 * changes nothing; a rollback pops. So two rollbacks after deploying 1.0.0, 1.1.0, 1.2.0 land on
 * 1.1.0 then 1.0.0, never bouncing back to 1.2.0.
 *
 * The stack can hold a version twice (1.1.0, 1.0.0, 1.1.0 deployed in turn), so popping alone
 * could return to a version just rolled away from. A sequence of consecutive rollbacks therefore
 * remembers every version it rolled away from and never lands on one of them (nor on the active
 * one); the next deploy starts a new sequence.
 */

import { servedOf, type ServedModel } from './deployed-model.js';
import { settingsKey } from './eval/settings-key.js';
import { isOlderVersion, newerVersion } from './order.js';

/** The fields replay needs; the registry's AuditEvent fits this shape. */
export interface DeploymentEvent {
  action: 'deploy' | 'rollback' | 'override' | (string & {});
  version: string;
  /** `detail.served`: the model and request settings the event says are served (core/deployed-model.ts). */
  detail?: Record<string, unknown>;
  seq?: number;
}

/**
 * One entry of the stack: a version as one deploy served it. Deploying the active version on
 * another model or with other request settings (a `defaults` change) is a deploy like any other:
 * a rollback returns to the model and settings served before it.
 */
export interface Deployment {
  version: string;
  /** What the deploy recorded it serves; absent in events from before deploys recorded it. */
  served?: ServedModel;
  /** The newest deploy or override that made it active (`history` lists it): tells two entries of one version apart. */
  seq?: number;
}

export interface DeploymentState {
  /** The version serving now, or null when nothing was ever deployed. */
  active: string | null;
  /** What a rollback can walk back through; the last item is the active one. */
  stack: Deployment[];
  /** Entries rolled away from (popped) since the last deploy: a further rollback skips them. */
  rolledAway: Deployment[];
  /**
   * For each event replayed (by its index), when it is a deploy or override that no longer stands
   * here: the event that withdrew the entry it made (or joined, deploying the active version
   * again), by taking it off the stack (`rollback`) or leaving it behind with a deploy of an older
   * version (`downgrade`, naming the version deployed). Undefined for a deploy that stands, and for
   * other events. The next environment's gate counts only standing deploys; staging moving on to
   * a newer version withdraws nothing.
   *
   * Per event, not per version: a withdrawn deploy stands again only when a rollback returns to its
   * entry. Deploying the version again (say by override, after a rollback) stands by itself and
   * puts back no earlier deploy, or the gated deploy staging rolled back would vouch for the
   * override that put the version back.
   */
  withdrawnBy: Array<Withdrawal | undefined>;
}

/** How an entry left an environment other than by a newer version: the event, and for a downgrade the older version deployed over it. */
export type Withdrawal = { how: 'rollback'; by?: number } | { how: 'downgrade'; by?: number; to: string };

export function deploymentOf(e: DeploymentEvent): Deployment {
  const served = servedOf(e.detail);
  return { version: e.version, ...(served ? { served } : {}), ...(e.seq !== undefined ? { seq: e.seq } : {}) };
}

/**
 * One version served the same way: the same model and request settings. An entry from before
 * deploys recorded them is taken as the same (nothing says otherwise).
 */
export function sameDeployment(a: Deployment, b: Deployment): boolean {
  return sameDeploymentBy(settingsKey)(a, b);
}

/** sameDeployment with its settings key made once per request: a long history compares entries many times, and each key is a SHA-256. */
export function sameDeploymentMemo(): (a: Deployment, b: Deployment) => boolean {
  const keys = new WeakMap<object, string>();
  const key = (request: ServedModel['request']) => keys.get(request) ?? keys.set(request, settingsKey(request)).get(request)!;
  return sameDeploymentBy(key);
}

function sameDeploymentBy(key: (request: ServedModel['request']) => string): (a: Deployment, b: Deployment) => boolean {
  return (a, b) => a.version === b.version && (!a.served || !b.served || key(a.served.request) === key(b.served.request));
}

/** Replays the events of one prompt in one environment, in seq order. */
export function replayDeployments(events: readonly DeploymentEvent[]): DeploymentState {
  const sameDeployment = sameDeploymentMemo();
  const stack: Deployment[] = [];
  // made[i]: the indices of the deploy and override events behind stack[i] (the one that pushed
  // it, and each that deployed it again while it was active): what a withdrawal takes off and a
  // rollback returning to it puts back.
  const made: number[][] = [];
  let rolledAway: Deployment[] = [];
  const withdrawnBy: Array<Withdrawal | undefined> = events.map(() => undefined);
  const by = (e: DeploymentEvent) => (e.seq !== undefined ? { by: e.seq } : {});
  // newest[i]: the newest version (valid semver) among stack[0..i]. A deploy is a downgrade only
  // when it is older than the newest: checked against one version, not every entry, so an
  // environment deployed 2,000 times replays in milliseconds (comparing each deploy with every
  // entry took seconds on every command that reads the history).
  const newest: Array<string | undefined> = [];
  const recount = () => {
    newest.length = Math.min(newest.length, stack.length);
    for (let i = newest.length; i < stack.length; i++) newest.push(newerVersion(newest[i - 1], stack[i]!.version));
  };
  for (const [k, e] of events.entries()) {
    const d = deploymentOf(e);
    if (e.action === 'rollback') {
      // A rollback event names the entry it returned to (its version and served settings); pop down
      // to it (one step, or several for `--to`, or past skipped entries). A rollback recorded before
      // settings were told apart may name settings no entry has: its version decides. If the stack
      // does not hold it (a log written by hand), trust the event.
      let at = stack.findLastIndex((x) => sameDeployment(x, d));
      if (at === -1) at = stack.findLastIndex((x) => x.version === d.version);
      const from = at === -1 ? 0 : at + 1;
      const landed = at === -1 ? d : stack[at]!;
      // Returned to: active here again (an entry a downgrade left behind, rolled back to), with
      // any popped entry served the same way.
      const back = at === -1 ? [] : made[at]!;
      for (const [i, p] of stack.slice(from).entries()) {
        if (sameDeployment(p, landed)) {
          back.push(...made[from + i]!);
          continue;
        }
        if (!rolledAway.some((r) => sameDeployment(r, p))) rolledAway.push(p);
        for (const m of made[from + i]!) withdrawnBy[m] = { how: 'rollback', ...by(e) };
      }
      for (const m of back) withdrawnBy[m] = undefined;
      if (at === -1) {
        stack.splice(0, stack.length, d);
        made.splice(0, made.length, back);
        newest.length = 0;
      } else {
        stack.length = at + 1;
        made.length = at + 1;
      }
      recount();
    } else if (e.action === 'deploy' || e.action === 'override') {
      const top = stack[stack.length - 1];
      // Deploying what is active again changes nothing but what the newest event says it serves,
      // and which event put it there: a rollback to it asks how the newest one was gated (an
      // override after a gated deploy, when a gate stopped holding).
      if (top && sameDeployment(top, d)) {
        stack[stack.length - 1] = { ...top, ...(d.served ? { served: d.served } : {}), ...(d.seq !== undefined ? { seq: d.seq } : {}) };
        made[made.length - 1]!.push(k);
      } else {
        stack.push(d);
        made.push([k]);
      }
      recount();
      rolledAway = [];
      // An older version deployed over newer ones (a downgrade, as the README's "deploy the version
      // you want instead" of a refused rollback does): the environment went back below them, as a
      // `rollback --to` there would have, so none of them counts as running there any more.
      const newestHere = newest[newest.length - 1];
      // A downgrade compares each version of the stack once (it holds the same few many times).
      const newer = new Map<string, boolean>();
      for (const [i, p] of (newestHere !== undefined && isOlderVersion(d.version, newestHere) ? stack : []).entries()) {
        let isNewer = newer.get(p.version);
        if (isNewer === undefined) newer.set(p.version, (isNewer = isOlderVersion(d.version, p.version)));
        // The first downgrade below it is the verdict; a later one finds it withdrawn already.
        if (isNewer) for (const m of made[i]!) withdrawnBy[m] ??= { how: 'downgrade', to: d.version, ...by(e) };
      }
    }
    // Unknown actions (from a newer promptctl) do not move what is active.
  }
  return { active: stack[stack.length - 1]?.version ?? null, stack, rolledAway, withdrawnBy };
}
