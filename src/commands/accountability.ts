import { InputError, type ErrorDetails } from '../core/errors.js';
import type { GateCheck } from '../core/gates.js';
import type { EnvironmentConfig } from '../core/schemas/config.js';
import { namedActor, requirePrintable, resolveActor } from '../infra/actor.js';
import type { CommandContext } from './context.js';

/**
 * Who and why, for a change to an environment. The policy can demand a reason always, and a reason
 * and a named actor when nobody is at a terminal (a script or CI changing production).
 */

interface AccountabilityOptions {
  actor?: string;
  reason?: string;
  dryRun: boolean;
  verb: string;
}

/** Every requirement of the policy the change does not meet, each as the error the real change stops with. */
function unmet(ctx: CommandContext, env: EnvironmentConfig, opts: AccountabilityOptions, who: { named: boolean; guessed: string }): Array<ErrorDetails & { id: string }> {
  const hasReason = Boolean(opts.reason?.trim());
  const found: Array<ErrorDetails & { id: string }> = [];
  if (env.gates.require_reason && !hasReason) {
    found.push({ id: 'accountability-reason', message: `${opts.verb} ${env.name} needs --reason "..."`, why: `the ${env.name} policy sets require_reason.`, hint: 'add --reason "why"' });
  }
  if (!ctx.interactive) {
    if (env.gates.unattended.require_reason && !hasReason && !found.some((f) => f.id === 'accountability-reason')) {
      found.push({ id: 'accountability-reason', message: `${opts.verb} ${env.name} without a terminal needs --reason "..."`, why: `the ${env.name} policy sets unattended.require_reason.`, hint: 'add --reason "why"' });
    }
    if (env.gates.unattended.require_actor && !who.named) {
      found.push({
        id: 'accountability-actor',
        message: `${opts.verb} ${env.name} without a terminal needs a named actor`,
        why: `the ${env.name} policy sets unattended.require_actor, and ${who.guessed}.`,
        hint: 'pass --actor you@example.com, or set PROMPTCTL_ACTOR (CI user variables such as GITHUB_ACTOR count too).',
      });
    }
  }
  return found;
}

/** The actor to record; throws (exit 2) on the first unmet requirement. A dry run never throws here: see `dryRunAccountability`. */
export function accountableActor(ctx: CommandContext, env: EnvironmentConfig, opts: AccountabilityOptions): string {
  // Checked even for a dry run, so the rehearsal refuses what the real change would.
  requirePrintable(opts.reason, '--reason');
  requirePrintable(opts.actor, '--actor');
  // A dry run records nothing, so it needs no actor (and spawns no git to find one).
  if (opts.dryRun) return opts.actor?.trim() || 'dry-run';
  const who = resolveActor(ctx.cwd, ctx.env, opts.actor);
  requirePrintable(who.actor, who.source);
  const first = unmet(ctx, env, opts, { named: who.named, guessed: `"${who.actor}" was only guessed from git or the OS` })[0];
  if (first) throw new InputError(first);
  return who.actor;
}

/**
 * For a dry run: each requirement the real change would stop on (exit 2), as a failing check line,
 * so the rehearsal predicts the refusal instead of promising a change that will not happen. Only
 * --actor and the environment name an actor (no git is spawned): a guessed user never counts.
 */
export function dryRunAccountability(ctx: CommandContext, env: EnvironmentConfig, opts: Omit<AccountabilityOptions, 'dryRun'>): GateCheck[] {
  const who = { named: Boolean(namedActor(ctx.env, opts.actor)), guessed: 'neither --actor nor PROMPTCTL_ACTOR (nor a CI user variable) names one' };
  return unmet(ctx, env, { ...opts, dryRun: true }, who).map((u) => ({
    kind: 'accountability',
    requirement: u.id === 'accountability-actor' ? 'actor' : 'reason',
    error: { message: u.message, why: u.why!, hint: u.hint! },
    ok: false,
    overridable: false,
  }));
}

/** Said after the failed lines of a dry run: the real command refuses them before anything else. */
export const ACCOUNTABILITY_NOTE = 'without --dry-run this stops at the policy above with exit 2, before any gate is judged';

/** Failed accountability checks make a dry run exit 2, as the real command would; other failed checks exit 1. */
export function isAccountabilityCheck(c: GateCheck): boolean {
  return c.kind === 'accountability';
}
