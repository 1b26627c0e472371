import type { GateCheck } from './gate-check.js';
import type { EnvironmentConfig } from './schemas/config.js';

/**
 * Who and why, for a change to an environment: the policy as a pure decision. The policy can
 * demand a reason always, and a reason and a named actor when nobody is at a terminal (a script or
 * CI changing production). Finding out who is acting (git, the environment) is the caller's job.
 */

export interface AccountabilityRequest {
  reason?: string;
  /** How the change is named in the messages: `deploying to`, `rolling back`. */
  verb: string;
  /** A person at a terminal; unattended changes may need more. */
  interactive: boolean;
}

/** Whether someone named the actor deliberately, and if not, what was guessed (for the message). */
export interface ActorFinding {
  named: boolean;
  guessed: string;
}

/** One unmet requirement, said as the error (exit 2) the real change stops with. */
export interface UnmetRequirement {
  requirement: 'reason' | 'actor';
  message: string;
  why: string;
  hint: string;
}

/** Every requirement of the policy the change does not meet, in the order the real change checks them. */
export function unmetAccountability(env: EnvironmentConfig, req: AccountabilityRequest, who: ActorFinding): UnmetRequirement[] {
  const hasReason = Boolean(req.reason?.trim());
  const found: UnmetRequirement[] = [];
  if (env.gates.require_reason && !hasReason) {
    found.push({ requirement: 'reason', message: `${req.verb} ${env.name} needs --reason "..."`, why: `the ${env.name} policy sets require_reason.`, hint: 'add --reason "why"' });
  }
  if (!req.interactive) {
    if (env.gates.unattended.require_reason && !hasReason && !found.some((f) => f.requirement === 'reason')) {
      found.push({ requirement: 'reason', message: `${req.verb} ${env.name} without a terminal needs --reason "..."`, why: `the ${env.name} policy sets unattended.require_reason.`, hint: 'add --reason "why"' });
    }
    if (env.gates.unattended.require_actor && !who.named) {
      found.push({
        requirement: 'actor',
        message: `${req.verb} ${env.name} without a terminal needs a named actor`,
        why: `the ${env.name} policy sets unattended.require_actor, and ${who.guessed}.`,
        hint: 'pass --actor you@example.com, or set PROMPTCTL_ACTOR (CI user variables such as GITHUB_ACTOR count too).',
      });
    }
  }
  return found;
}

const NEEDS: Record<UnmetRequirement['requirement'], string> = { reason: '--reason "..."', actor: 'a named actor' };
const FIXES: Record<UnmetRequirement['requirement'], string> = { reason: '--reason "why"', actor: '--actor you@example.com' };

/**
 * The one refusal the real change stops with: every unmet requirement at once (a script that
 * follows the hint then passes), the policy key of each in why. One requirement is said as itself.
 */
export function accountabilityRefusal(unmet: UnmetRequirement[], req: { verb: string; env: string; interactive: boolean }): Omit<UnmetRequirement, 'requirement'> | undefined {
  if (unmet.length <= 1) return unmet[0];
  const kinds = unmet.map((u) => u.requirement);
  return {
    message: `${req.verb} ${req.env}${req.interactive ? '' : ' without a terminal'} needs ${kinds.map((k) => NEEDS[k]).join(' and ')}`,
    why: unmet.map((u) => u.why).join(' '),
    hint: `add ${kinds.map((k) => FIXES[k]).join(' ')}${kinds.includes('actor') ? ' (or set PROMPTCTL_ACTOR instead of --actor; CI user variables such as GITHUB_ACTOR count too)' : ''}`,
  };
}

/** Unmet requirements as failing checks, so a dry run lists them beside the gates. */
export function accountabilityChecks(unmet: UnmetRequirement[]): GateCheck[] {
  return unmet.map(({ requirement, message, why, hint }) => ({ kind: 'accountability', requirement, error: { message, why, hint }, ok: false, overridable: false }));
}

/** Failed accountability checks make a dry run exit 2, as the real command would; other failed checks exit 1. */
export function isAccountabilityCheck(c: GateCheck): boolean {
  return c.kind === 'accountability';
}
