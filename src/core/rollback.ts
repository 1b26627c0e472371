/**
 * What is active in one environment, and where a rollback goes, computed from the audit events
 * alone (the log is the source of truth; nothing else stores "active").
 *
 * The model is a stack of deployments: a version as one deploy served it (model and request
 * settings). A deploy (or override) of a version other than the one on top, or of that version on
 * another model or with other settings, pushes it; deploying the active version again the same way
 * changes nothing; a rollback pops. So two
 * rollbacks after deploying 1.0.0, 1.1.0, 1.2.0 land on 1.1.0 then 1.0.0, never bouncing back
 * to 1.2.0.
 *
 * The stack can hold a version twice (1.1.0, 1.0.0, 1.1.0 deployed in turn), so popping alone
 * could return to a version just rolled away from. A sequence of consecutive rollbacks therefore
 * remembers every version it rolled away from and never lands on one of them (nor on the active
 * one); the next deploy starts a new sequence.
 */

import { servedOf, type ServedModel } from './deployed-model.js';
import { settingsKey } from './eval/settings-key.js';
import { isOlderVersion } from './order.js';

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
   * Every entry withdrawn from this environment and not active here again since, with the event
   * that withdrew it: taken off the stack by a rollback (`rollback`), or left behind by a deploy of
   * an older version (`downgrade`, naming the version deployed). The next environment's gate does
   * not count them; staging moving on to a newer version withdraws nothing.
   */
  withdrawn: Array<Deployment & Withdrawal>;
}

/** How an entry left an environment other than by a newer version: the event, and for a downgrade the older version deployed over it. */
export type Withdrawal = { how: 'rollback'; by?: number } | { how: 'downgrade'; by?: number; to: string };

export type RollbackPlan =
  | {
      ok: true;
      from: string;
      to: string;
      /** Versions popped, the active one first. */
      popped: string[];
      /** The entry left and the one returned to, with what each serves. */
      current: Deployment;
      target: Deployment;
    }
  /** `alreadyActive`: `--to` names the active version, served as it was: the goal already holds, nothing to do. */
  | { ok: false; reason: string; alreadyActive?: true };

function deploymentOf(e: DeploymentEvent): Deployment {
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
function sameDeploymentMemo(): (a: Deployment, b: Deployment) => boolean {
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
  let rolledAway: Deployment[] = [];
  let withdrawn: DeploymentState['withdrawn'] = [];
  const by = (e: DeploymentEvent) => (e.seq !== undefined ? { by: e.seq } : {});
  for (const e of events) {
    const d = deploymentOf(e);
    if (e.action === 'rollback') {
      // A rollback event names the entry it returned to (its version and served settings); pop down
      // to it (one step, or several for `--to`, or past skipped entries). A rollback recorded before
      // settings were told apart may name settings no entry has: its version decides. If the stack
      // does not hold it (a log written by hand), trust the event.
      let at = stack.findLastIndex((x) => sameDeployment(x, d));
      if (at === -1) at = stack.findLastIndex((x) => x.version === d.version);
      const popped = at === -1 ? [...stack] : stack.slice(at + 1);
      const landed = at === -1 ? d : stack[at]!;
      for (const p of popped) {
        if (sameDeployment(p, landed)) continue;
        if (!rolledAway.some((r) => sameDeployment(r, p))) rolledAway.push(p);
        withdrawn = [...withdrawn.filter((r) => !sameDeployment(r, p)), { ...p, how: 'rollback', ...by(e) }];
      }
      if (at === -1) stack.splice(0, stack.length, d);
      else stack.length = at + 1;
      // Returned to: active here again (an entry a downgrade left behind, rolled back to).
      withdrawn = withdrawn.filter((r) => !sameDeployment(r, landed));
    } else if (e.action === 'deploy' || e.action === 'override') {
      const top = stack[stack.length - 1];
      // Deploying what is active again changes nothing but what the newest event says it serves,
      // and which event put it there: a rollback to it asks how the newest one was gated (an
      // override after a gated deploy, when a gate stopped holding).
      if (top && sameDeployment(top, d)) stack[stack.length - 1] = { ...top, ...(d.served ? { served: d.served } : {}), ...(d.seq !== undefined ? { seq: d.seq } : {}) };
      else stack.push(d);
      rolledAway = [];
      withdrawn = withdrawn.filter((r) => !sameDeployment(r, d));
      // An older version deployed over newer ones (a downgrade, as the README's "deploy the version
      // you want instead" of a refused rollback does): the environment went back below them, as a
      // `rollback --to` there would have, so none of them counts as running there any more.
      for (const p of stack) {
        if (isOlderVersion(d.version, p.version) && !withdrawn.some((r) => sameDeployment(r, p))) withdrawn.push({ ...p, how: 'downgrade', to: d.version, ...by(e) });
      }
    }
    // Unknown actions (from a newer promptctl) do not move what is active.
  }
  return { active: stack[stack.length - 1]?.version ?? null, stack, rolledAway, withdrawn };
}

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
 * environment's verdict on it; a newer version deployed over it withdraws nothing); `sameRequest`
 * says which recorded settings count (an event that recorded none is given `undefined`).
 */
export function standingThere(events: readonly DeploymentEvent[], version: string, sameRequest: (served: ServedModel | undefined) => boolean): StandingThere {
  const deployEvents = events.filter((e) => e.version === version && (e.action === 'deploy' || e.action === 'override'));
  const deploys = deployEvents.map(deploymentOf);
  const matching = deploys.filter((d) => sameRequest(d.served));
  const { withdrawn } = replayDeployments(events);
  const sameDeployment = sameDeploymentMemo();
  const rejectedBy = (d: Deployment) => withdrawn.find((r) => sameDeployment(r, d));
  const standing = deployEvents.filter((_, i) => sameRequest(deploys[i]!.served) && !rejectedBy(deploys[i]!));
  if (standing.length) {
    // Overrides only: it reached that environment past its gates, which the next one may not accept.
    if (!standing.every((e) => e.action === 'override')) return { deployed: true };
    return { deployed: true, byOverride: overrideOf(standing[standing.length - 1]!) };
  }
  if (!matching.length) return { deployed: false, ...(deploys.length ? { otherSettings: true as const } : {}) };
  // Each matching deploy was withdrawn by some event: the latest of them is the environment's verdict
  // (not the one that withdrew the newest deploy: an earlier deploy of it may have been withdrawn later).
  const verdicts = matching.map((d) => rejectedBy(d)!);
  const latest = verdicts.reduce((a, b) => ((b.by ?? -1) > (a.by ?? -1) ? b : a));
  const seq = latest.by !== undefined ? { seq: latest.by } : {};
  return latest.how === 'downgrade' ? { deployed: false, downgraded: { ...seq, to: latest.to } } : { deployed: false, rolledBack: seq };
}

/**
 * Plans a rollback: to the entry active before the current one, or with `to`, down the stack
 * until that version is on top. Refuses with a reason a person can act on.
 */
export function planRollback(events: readonly DeploymentEvent[], to?: string): RollbackPlan {
  const { stack, rolledAway } = replayDeployments(events);
  const top = stack[stack.length - 1];
  if (top === undefined) {
    return { ok: false, reason: 'nothing to roll back: no version has been deployed here yet' };
  }
  // Where a rollback may land: below the top, neither the active entry nor a version this sequence
  // of rollbacks already rolled away from, however it was served (that would be going back and
  // forth: a version rolled away from is not served again by going further back).
  const sameDeployment = sameDeploymentMemo();
  const landable = (i: number): boolean => !sameDeployment(stack[i]!, top) && !rolledAway.some((r) => r.version === stack[i]!.version);
  const plan = (i: number): RollbackPlan => ({ ok: true, from: top.version, to: stack[i]!.version, popped: stack.slice(i + 1).reverse().map((d) => d.version), current: top, target: stack[i]! });
  const labels = deploymentLabels(stack);
  const skipped = rolledAway.length ? ` (${rolledAway.map((d) => labels(d)).join(', ')} rolled away from by the rollbacks since the last deploy)` : '';
  if (to === undefined) {
    for (let i = stack.length - 2; i >= 0; i--) if (landable(i)) return plan(i);
    const below = [...new Set(stack.slice(0, -1).filter((d) => !sameDeployment(d, top)).map((d) => labels(d)))];
    return {
      ok: false,
      reason: below.length
        ? `nothing to roll back to: ${labels(top)} is active and every earlier version was rolled away from since the last deploy (${below.join(', ')}); a rollback never goes back and forth: deploy the version you want instead`
        : `nothing to roll back to: ${top.version} is the only version left in this environment's deploy history`,
    };
  }
  // The newest entry of that version below the top that a rollback may land on: with the active
  // version itself, the same version as served before (another model or other settings).
  const below = stack.slice(0, -1).flatMap((d, i) => (d.version === to ? [i] : []));
  const at = below.findLast(landable);
  if (at !== undefined) return plan(at);
  if (to === top.version) {
    return { ok: false, reason: `${to} is already the active version; nothing to roll back`, alreadyActive: true };
  }
  if (below.length === 0) {
    return {
      ok: false,
      reason: `cannot roll back to ${to}: it is not below ${top.version} in this environment's history (${formatStack(stack)}); deploy it instead`,
    };
  }
  return { ok: false, reason: `cannot roll back to ${to}: it was rolled away from since the last deploy${skipped}; a rollback never goes back and forth: deploy it instead` };
}

/**
 * How an entry is named in messages: its version, and where the stack holds that version served
 * more than one way, the event that deployed it (`1.1.0 (event #4)`).
 */
function deploymentLabels(stack: readonly Deployment[]): (d: Deployment) => string {
  // A version is served more than one way when its entries carry two settings keys or more (an
  // entry without recorded settings is the same as any): one key per entry, not one per pair.
  const keys = new Map<string, Set<string>>();
  for (const x of stack) if (x.served) keys.set(x.version, (keys.get(x.version) ?? new Set()).add(settingsKey(x.served.request)));
  const ambiguous = (d: Deployment) => d.served !== undefined && (keys.get(d.version)?.size ?? 0) > 1;
  return (d) => (ambiguous(d) && d.seq !== undefined ? `${d.version} (event #${d.seq})` : d.version);
}

/** Entries a message shows of a stack, the newest: a long-lived environment's whole life would bury what changes. */
export const STACK_SHOWN = 5;

/**
 * `1.0.0 → 1.1.0 → 1.2.0 (active)`, for messages; `1.1.0 (event #2) → 1.1.0 (event #4) (active)` for
 * one version served two ways; past STACK_SHOWN entries, `… and 1,098 earlier → …` before the newest.
 */
export function formatStack(stack: readonly Deployment[]): string {
  if (stack.length === 0) return 'empty';
  const label = deploymentLabels(stack);
  const hidden = Math.max(0, stack.length - STACK_SHOWN);
  const earlier = hidden ? [`… and ${String(hidden).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} earlier`] : [];
  return `${[...earlier, ...stack.slice(hidden).map(label)].join(' → ')} (active)`;
}
