import type { GateCheck } from './gate-check.js';
import { optionName, optionWithValue, type OptionNames } from './option-names.js';
import type { EnvironmentConfig } from './schemas/config.js';
import { sentences } from './sentences.js';

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
  /** How the caller's options are named in the messages (`--reason` on the command line, `reason` in a script). */
  optionNames: OptionNames;
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
  const needs = NEEDS(req.optionNames);
  const fixes = FIXES(req.optionNames);
  if (env.gates.require_reason && !hasReason) {
    found.push({ requirement: 'reason', message: `${req.verb} ${env.name} needs ${needs.reason}`, why: `the ${env.name} policy sets require_reason.`, hint: `add ${fixes.reason}` });
  }
  if (!req.interactive) {
    if (env.gates.unattended.require_reason && !hasReason && !found.some((f) => f.requirement === 'reason')) {
      found.push({ requirement: 'reason', message: `${req.verb} ${env.name} without a terminal needs ${needs.reason}`, why: `the ${env.name} policy sets unattended.require_reason.`, hint: `add ${fixes.reason}` });
    }
    if (env.gates.unattended.require_actor && !who.named) {
      found.push({
        requirement: 'actor',
        message: `${req.verb} ${env.name} without a terminal needs a named actor`,
        why: `the ${env.name} policy sets unattended.require_actor, and ${who.guessed}.`,
        hint: `pass ${fixes.actor}, or set PROMPTCTL_ACTOR (CI user variables such as GITHUB_ACTOR count too).`,
      });
    }
  }
  return found;
}

type Wording = Record<UnmetRequirement['requirement'], string>;
const NEEDS = (names: OptionNames): Wording => ({ reason: optionWithValue(names, 'reason', '...', '"..."'), actor: 'a named actor' });
const FIXES = (names: OptionNames): Wording => ({ reason: optionWithValue(names, 'reason', 'why', '"why"'), actor: optionWithValue(names, 'actor', 'you@example.com') });

/**
 * The one refusal the real change stops with: every unmet requirement at once (a script that
 * follows the hint then passes), the policy key of each in why. One requirement is said as itself.
 */
export function accountabilityRefusal(unmet: UnmetRequirement[], req: { verb: string; env: string; interactive: boolean; optionNames: OptionNames }): Omit<UnmetRequirement, 'requirement'> | undefined {
  if (unmet.length <= 1) return unmet[0];
  const kinds = unmet.map((u) => u.requirement);
  const [needs, fixes] = [NEEDS(req.optionNames), FIXES(req.optionNames)];
  // A script's options are one object: `reason: "why", actor: "you@example.com"`; flags are `--reason "why" --actor you@example.com`.
  const joint = req.optionNames === 'keys' ? ', ' : ' ';
  return {
    message: `${req.verb} ${req.env}${req.interactive ? '' : ' without a terminal'} needs ${kinds.map((k) => needs[k]).join(' and ')}`,
    why: sentences(unmet.map((u) => u.why)),
    hint: `add ${kinds.map((k) => fixes[k]).join(joint)}${kinds.includes('actor') ? ` (or set PROMPTCTL_ACTOR instead of ${optionName(req.optionNames, 'actor')}; CI user variables such as GITHUB_ACTOR count too)` : ''}`,
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
