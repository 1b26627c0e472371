import { InterruptedError, stopSignalOf } from '../../../core/errors.js';

/**
 * A wait on the PostgreSQL server that the command's stop signal ends at once (connection.ts):
 * connecting, a session's first query, the schema check, a read-only registry's calls. pg bounds
 * each statement by query_timeout only (two minutes for a command), so a server or proxy that
 * stopped answering kept Ctrl-C and SIGTERM waiting that long, then reported exit 3.
 *
 * Only a wait in progress when the signal arrives is ended: a call begun after it (eval keeps what
 * arrived and records it after a Ctrl-C) runs as before. A write transaction is not ended here: it
 * listens to the signal itself until COMMIT is sent (session.ts inTransaction), its exactly-once rule.
 */

/** Where the wait was: what the message says promptctl was doing, and the registry as people see it. */
export interface StopWait {
  signal?: AbortSignal;
  doing: string;
  where: string;
  /** Connecting again mid-command: what the command recorded before stands. */
  reconnecting?: boolean;
}

/**
 * Runs `step`, racing it against `wait.signal`: aborted meanwhile, `cut` drops the connection under
 * it (so nothing half-done can be committed, and no socket is left behind) and InterruptedError is thrown.
 */
export async function untilStopped<T>(wait: StopWait, step: () => Promise<T>, cut: () => void): Promise<T> {
  const { signal } = wait;
  if (!signal || signal.aborted) return step();
  let onAbort: () => void = () => {};
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => {
      cut();
      reject(interrupted(wait));
    };
  });
  signal.addEventListener('abort', onAbort, { once: true });
  const running = step();
  // Whichever loses the race is settled unheard: the step's own failure after the cut says nothing new.
  running.catch(() => {});
  try {
    return await Promise.race([running, stopped]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function interrupted({ signal, doing, where, reconnecting }: StopWait): InterruptedError {
  const stop = stopSignalOf(signal) ?? 'SIGINT';
  return new InterruptedError({
    signal: stop,
    message: `interrupted ${doing} (the PostgreSQL registry at ${where}): ${reconnecting ? 'what the command recorded before stands' : 'nothing was recorded'}`,
    why: `the command was stopped (${stop}) while it waited for the registry's server; the connection was closed under the wait, so nothing it would have written was committed`,
    hint: 'run the command again; if the registry keeps not answering, check the server and any proxy or pooler in front of it',
  });
}
