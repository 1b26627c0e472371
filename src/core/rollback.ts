/**
 * What is active in one environment, and where a rollback goes, computed from the audit events
 * alone (the log is the source of truth; nothing else stores "active").
 *
 * The model is a stack of versions. A deploy (or override) of a version other than the one on top
 * pushes it; deploying the active version again changes nothing; a rollback pops. So two
 * rollbacks after deploying 1.0.0, 1.1.0, 1.2.0 land on 1.1.0 then 1.0.0, never bouncing back
 * to 1.2.0.
 *
 * The stack can hold a version twice (1.1.0, 1.0.0, 1.1.0 deployed in turn), so popping alone
 * could return to a version just rolled away from. A sequence of consecutive rollbacks therefore
 * remembers every version it rolled away from and never lands on one of them (nor on the active
 * one); the next deploy starts a new sequence.
 */

/** The fields replay needs; the registry's AuditEvent fits this shape. */
export interface DeploymentEvent {
  action: 'deploy' | 'rollback' | 'override' | (string & {});
  version: string;
}

export interface DeploymentState {
  /** The version serving now, or null when nothing was ever deployed. */
  active: string | null;
  /** Versions a rollback can walk back through; the last item is the active one. */
  stack: string[];
  /** Versions rolled away from (popped) since the last deploy: a further rollback skips them. */
  rolledAway: string[];
}

export type RollbackPlan =
  | { ok: true; from: string; to: string; popped: string[] }
  | { ok: false; reason: string };

/** Replays the events of one prompt in one environment, in seq order. */
export function replayDeployments(events: readonly DeploymentEvent[]): DeploymentState {
  const stack: string[] = [];
  let rolledAway: string[] = [];
  for (const e of events) {
    if (e.action === 'rollback') {
      // A rollback event names the version it returned to; pop down to it (one step, or several
      // for `--to`, or past skipped versions). If the stack does not hold it (a log written by
      // hand), trust the event.
      const at = stack.lastIndexOf(e.version);
      const popped = at === -1 ? [...stack] : stack.slice(at + 1);
      for (const v of popped) if (v !== e.version && !rolledAway.includes(v)) rolledAway.push(v);
      if (at === -1) stack.splice(0, stack.length, e.version);
      else stack.length = at + 1;
    } else if (e.action === 'deploy' || e.action === 'override') {
      if (stack[stack.length - 1] !== e.version) stack.push(e.version);
      rolledAway = [];
    }
    // Unknown actions (from a newer promptctl) do not move what is active.
  }
  return { active: stack[stack.length - 1] ?? null, stack, rolledAway };
}

/**
 * Plans a rollback: to the version active before the current one, or with `to`, down the stack
 * until `to` is on top. Refuses with a reason a person can act on.
 */
export function planRollback(events: readonly DeploymentEvent[], to?: string): RollbackPlan {
  const { stack, rolledAway } = replayDeployments(events);
  const top = stack[stack.length - 1];
  if (top === undefined) {
    return { ok: false, reason: 'nothing to roll back: no version has been deployed here yet' };
  }
  // Where a rollback may land: below the top, neither the active version nor one this sequence of
  // rollbacks already rolled away from (that would be going back and forth).
  const landable = (i: number): boolean => stack[i] !== top && !rolledAway.includes(stack[i]!);
  const skipped = rolledAway.length ? ` (${rolledAway.join(', ')} rolled away from by the rollbacks since the last deploy)` : '';
  if (to === undefined) {
    for (let i = stack.length - 2; i >= 0; i--) {
      if (landable(i)) return { ok: true, from: top, to: stack[i]!, popped: stack.slice(i + 1).reverse() };
    }
    const below = [...new Set(stack.slice(0, -1))].filter((v) => v !== top);
    return {
      ok: false,
      reason: below.length
        ? `nothing to roll back to: ${top} is active and every earlier version was rolled away from since the last deploy (${below.join(', ')}); a rollback never goes back and forth: deploy the version you want instead`
        : `nothing to roll back to: ${top} is the only version left in this environment's deploy history`,
    };
  }
  if (to === top) {
    return { ok: false, reason: `${to} is already the active version; nothing to roll back` };
  }
  const at = stack.lastIndexOf(to);
  if (at === -1) {
    return {
      ok: false,
      reason: `cannot roll back to ${to}: it is not below ${top} in this environment's history (${formatStack(stack)}); deploy it instead`,
    };
  }
  if (!landable(at)) {
    return { ok: false, reason: `cannot roll back to ${to}: it was rolled away from since the last deploy${skipped}; a rollback never goes back and forth: deploy it instead` };
  }
  return { ok: true, from: top, to, popped: stack.slice(at + 1).reverse() };
}

/** `1.0.0 → 1.1.0 → 1.2.0 (active)`, for messages. */
export function formatStack(stack: readonly string[]): string {
  if (stack.length === 0) return 'empty';
  return `${stack.join(' → ')} (active)`;
}
