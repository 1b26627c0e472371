/**
 * Where a rollback goes: down the deploy stack (deployment-stack.ts), never back and forth, with the
 * reason a person can act on when it cannot, and the stack as messages show it.
 */

import { replayDeployments, sameDeploymentMemo, type Deployment, type DeploymentEvent } from './deployment-stack.js';
import { settingsKey } from './eval/settings-key.js';

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
 * An entry of a version in `rolledAway` (rolled away from since the last deploy) is one a further
 * rollback skips, as planRollback does: `1.1.0 (rolled away from) → 1.0.0 (active)`.
 */
export function formatStack(stack: readonly Deployment[], rolledAway: readonly Deployment[] = []): string {
  if (stack.length === 0) return 'empty';
  const label = deploymentLabels(stack);
  const skipped = (d: Deployment) => d !== stack[stack.length - 1] && rolledAway.some((r) => r.version === d.version);
  const hidden = Math.max(0, stack.length - STACK_SHOWN);
  const earlier = hidden ? [`… and ${String(hidden).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} earlier`] : [];
  return `${[...earlier, ...stack.slice(hidden).map((d) => `${label(d)}${skipped(d) ? ' (rolled away from)' : ''}`)].join(' → ')} (active)`;
}
