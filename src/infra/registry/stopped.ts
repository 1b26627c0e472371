import { InterruptedError, stopSignalOf, type ErrorDetails } from '../../core/errors.js';

/**
 * A stop signal (Ctrl-C, SIGTERM, SIGHUP: the AbortSignal the CLI aborts, or a script's own) ends a
 * change to the registry until its COMMIT is sent: the transaction is rolled back and nothing is
 * recorded. Once COMMIT is sent the change stands, and the command reports it (too late to cancel).
 */

/** Throws the signal's InterruptedError (exit 130, 143 or 129) when `signal` was aborted. */
export function throwIfStopped(signal: AbortSignal | undefined, doing: string, details: Partial<ErrorDetails> = {}): void {
  const stop = stopSignalOf(signal);
  if (!stop) return;
  throw new InterruptedError({
    signal: stop,
    message: details.message ?? `interrupted ${doing}: nothing was recorded`,
    why: details.why ?? `the command was stopped (${stop}) before its change was committed, so the registry is unchanged`,
    hint: details.hint ?? 'run the command again to make the change',
    ...(details.cause !== undefined ? { cause: details.cause } : {}),
  });
}

/** The signal that arrived once a change was committed (too late to cancel it), for the result to say. */
export function lateStop(signal: AbortSignal | undefined): { lateSignal: NonNullable<ReturnType<typeof stopSignalOf>> } | Record<string, never> {
  const stop = stopSignalOf(signal);
  return stop ? { lateSignal: stop } : {};
}
