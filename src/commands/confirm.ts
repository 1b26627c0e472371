import { changesLastEnvironment } from '../app/confirm-change.js';
import { GateError, InterruptedError, stopSignalOf } from '../core/errors.js';
import { appOptions, type CommandContext } from './context.js';

/** What the change would do, from its dry run: whether it would go ahead, and its lines. */
export interface ChangePreview {
  allowed: boolean;
  lines: string[];
  /** What the confirmed change is bound to (`ifActive`, promote's `promoting`): the real call refuses if it no longer holds. */
  bind?: { ifActive?: string; ifActiveEvent?: number; promoting?: string };
  /** It would record nothing (already active with the same settings): nothing to confirm. */
  unchanged?: boolean;
}

/**
 * A change to the last environment of the order (production) at a terminal asks first. Never asked
 * without a terminal (CI, scripts, pipes), for a dry run or with --yes. Answering anything but y/yes
 * changes nothing and exits 1; a stop signal at the question (or before it) changes nothing and
 * exits with its code, as it does elsewhere: Ctrl-C 130, SIGTERM 143, SIGHUP 129.
 *
 * The question comes after the checks: the change's dry run is shown first (its gates, the request
 * settings it changes), so the person confirms what will happen; a change its checks refuse is not
 * asked about at all, and goes on to refuse with every reason. The confirmed change is bound to
 * what the preview showed (its `bind`, returned): another change recorded while the person read
 * it makes the real call refuse (exit 1), never carry out a change nobody saw.
 */
export async function confirmLastEnvironment(ctx: CommandContext, change: { environment: string; dryRun?: boolean; yes?: boolean; what: string }, preview: () => Promise<ChangePreview>): Promise<ChangePreview['bind']> {
  if (change.dryRun || change.yes || !ctx.interactive || !ctx.confirm) return {};
  if (!changesLastEnvironment({ ...appOptions(ctx), environment: change.environment })) return {};
  const planned = await preview();
  if (!planned.allowed) return {};
  // Nothing would change: no question, and the real call (bound to what was seen) says so once.
  if (planned.unchanged) return planned.bind ?? {};
  // A signal while the checks ran: nothing is asked (nobody would be there to answer).
  interruptedAtConfirmation(ctx, change.what);
  for (const line of planned.lines) ctx.out.error(line);
  const yes = await ctx.confirm(`${change.what}: ${change.environment} is the last environment. Go ahead?`, planned.lines);
  interruptedAtConfirmation(ctx, change.what);
  if (!yes) {
    throw new GateError({
      message: `${change.what}: not done, not confirmed`,
      why: `a change to ${change.environment} at a terminal needs a "y"; nothing was changed or recorded.`,
      hint: 'run it again and answer y, or pass --yes to skip the question.',
    });
  }
  return planned.bind ?? {};
}

/** Throws the signal's InterruptedError (130, 143 or 129) once the command was stopped. */
function interruptedAtConfirmation(ctx: CommandContext, what: string): void {
  const signal = stopSignalOf(ctx.signal);
  if (signal) throw new InterruptedError({ signal, message: `${what}: not done, interrupted at the confirmation`, why: 'nothing was changed or recorded.' });
}
