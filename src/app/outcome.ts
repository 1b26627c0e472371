import { isAccountabilityCheck } from '../core/accountability.js';
import type { GateCheck } from '../core/gate-check.js';

/**
 * The one rule for the exit code of a change to an environment (deploy, promote, rollback, their
 * dry runs): 0 when it is (or would be) made, 2 for an unmet accountability policy (bad usage, as
 * the real command stops with) or an edited version file (bad input: every command that would use
 * an edited version refuses it with exit 2), 1 for a refusal by the gates.
 */
export function outcomeExitCode(o: { allowed: boolean; checks: readonly GateCheck[] }): number {
  if (o.allowed) return 0;
  return o.checks.some((c) => !c.ok && (isAccountabilityCheck(c) || c.kind === 'not-edited')) ? 2 : 1;
}
