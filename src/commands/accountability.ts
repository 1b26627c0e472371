import { InputError } from '../core/errors.js';
import type { EnvironmentConfig } from '../core/schemas/config.js';
import { requirePrintable, resolveActor } from '../infra/actor.js';
import type { CommandContext } from './context.js';

/**
 * Who and why, for a change to an environment. The policy can demand a reason always, and a reason
 * and a named actor when nobody is at a terminal (a script or CI changing production).
 */
export function accountableActor(ctx: CommandContext, env: EnvironmentConfig, opts: { actor?: string; reason?: string; dryRun: boolean; verb: string }): string {
  // Checked even for a dry run, so the rehearsal refuses what the real change would.
  requirePrintable(opts.reason, '--reason');
  requirePrintable(opts.actor, '--actor');
  // A dry run records nothing, so it needs no actor (and spawns no git to find one).
  if (opts.dryRun) return opts.actor?.trim() || 'dry-run';
  const who = resolveActor(ctx.cwd, ctx.env, opts.actor);
  requirePrintable(who.actor, who.source);
  const hasReason = Boolean(opts.reason?.trim());
  if (env.gates.require_reason && !hasReason) {
    throw new InputError({ message: `${opts.verb} ${env.name} needs --reason "..."`, why: `the ${env.name} policy sets require_reason.`, hint: 'add --reason "why"' });
  }
  if (!ctx.interactive) {
    if (env.gates.unattended.require_reason && !hasReason) {
      throw new InputError({ message: `${opts.verb} ${env.name} without a terminal needs --reason "..."`, why: `the ${env.name} policy sets unattended.require_reason.`, hint: 'add --reason "why"' });
    }
    if (env.gates.unattended.require_actor && !who.named) {
      throw new InputError({
        message: `${opts.verb} ${env.name} without a terminal needs a named actor`,
        why: `the ${env.name} policy sets unattended.require_actor, and "${who.actor}" was only guessed from git or the OS.`,
        hint: 'pass --actor you@example.com, or set PROMPTCTL_ACTOR (CI user variables such as GITHUB_ACTOR count too).',
      });
    }
  }
  return who.actor;
}
