/**
 * What is active in one environment, and where a rollback goes, computed from the audit events
 * alone (the log is the source of truth; nothing else stores "active").
 *
 * The model is a stack of versions. A deploy (or override) of a version other than the one on top
 * pushes it; deploying the active version again changes nothing; a rollback pops. So two
 * rollbacks after deploying 1.0.0, 1.1.0, 1.2.0 land on 1.1.0 then 1.0.0, never bouncing back
 * to 1.2.0.
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
}

export type RollbackPlan =
  | { ok: true; from: string; to: string; popped: string[] }
  | { ok: false; reason: string };

/** Replays the events of one prompt in one environment, in seq order. */
export function replayDeployments(events: readonly DeploymentEvent[]): DeploymentState {
  const stack: string[] = [];
  for (const e of events) {
    if (e.action === 'rollback') {
      // A rollback event names the version it returned to; pop down to it (one step, or several
      // for `--to`). If the stack does not hold it (a log written by hand), trust the event.
      const at = stack.lastIndexOf(e.version);
      if (at === -1) stack.splice(0, stack.length, e.version);
      else stack.length = at + 1;
    } else if (e.action === 'deploy' || e.action === 'override') {
      if (stack[stack.length - 1] !== e.version) stack.push(e.version);
    }
    // Unknown actions (from a newer promptctl) do not move what is active.
  }
  return { active: stack[stack.length - 1] ?? null, stack };
}

/**
 * Plans a rollback: to the version active before the current one, or with `to`, down the stack
 * until `to` is on top. Refuses with a reason a person can act on.
 */
export function planRollback(events: readonly DeploymentEvent[], to?: string): RollbackPlan {
  const { stack } = replayDeployments(events);
  const top = stack[stack.length - 1];
  if (top === undefined) {
    return { ok: false, reason: 'nothing to roll back: no version has been deployed here yet' };
  }
  const below = stack.slice(0, -1);
  if (below.length === 0) {
    return {
      ok: false,
      reason: `nothing to roll back to: ${top} is the only version left in this environment's deploy history`,
    };
  }
  if (to === undefined) {
    const previous = below[below.length - 1] as string;
    return { ok: true, from: top, to: previous, popped: [top] };
  }
  if (to === top) {
    return { ok: false, reason: `${to} is already the active version; nothing to roll back` };
  }
  const at = below.lastIndexOf(to);
  if (at === -1) {
    return {
      ok: false,
      reason: `cannot roll back to ${to}: it is not below ${top} in this environment's history (${formatStack(stack)}); deploy it instead`,
    };
  }
  return { ok: true, from: top, to, popped: stack.slice(at + 1).reverse() };
}

/** `1.0.0 → 1.1.0 → 1.2.0 (active)`, for messages. */
export function formatStack(stack: readonly string[]): string {
  if (stack.length === 0) return 'empty';
  return `${stack.join(' → ')} (active)`;
}
