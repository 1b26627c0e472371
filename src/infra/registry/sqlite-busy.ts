import { isPromptctlError, UnavailableError } from '../../core/errors.js';
import { throwIfStopped } from './stopped.js';
import { pauseUnlessStopped } from '../pause.js';

/**
 * SQLITE_BUSY must never reach a user. SQLite's busy_timeout already waits inside most calls;
 * this adds a bounded retry with backoff around whole operations (notably BEGIN IMMEDIATE and the
 * WAL switch on a brand-new file) for the cases where SQLite gives up early.
 *
 * SQLite's busy_timeout and `sleepSync` block the event loop: no signal handler runs meanwhile. Where
 * the caller is asynchronous (the Registry's writes), `waitForWriteLock` waits between tries on
 * timers instead, and a signal passed to it ends the wait.
 */

export interface BusyRetryOptions {
  /** Give up after this long in total. */
  deadlineMs: number;
  /** First pause; doubles each time up to `maxDelayMs`, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** What the registry was doing, for the error message. */
  doing: string;
  path: string;
  now?: () => number;
  sleep?: (ms: number) => void;
}

export const DEFAULT_BUSY_RETRY = { deadlineMs: 60_000, baseDelayMs: 20, maxDelayMs: 1_000 } as const;

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_RECOVERY, ...); SQLITE_LOCKED too. */
export function isBusyError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** A synchronous sleep: better-sqlite3 is synchronous, so the wait must be too. */
export function sleepSync(ms: number): void {
  if (ms <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `attempt` until it does not throw a busy error. `attempt` receives `markStarted`: once an
 * attempt calls it (its body is about to run), a busy error from that attempt is no longer
 * retried, so the body's side effects never happen twice.
 */
export function withBusyRetry<T>(attempt: (markStarted: () => void) => T, opts: BusyRetryOptions): T {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? sleepSync;
  const deadline = now() + opts.deadlineMs;
  for (let tries = 0; ; tries++) {
    let started = false;
    try {
      return attempt(() => {
        started = true;
      });
    } catch (err) {
      if (!isBusyError(err)) throw err;
      if (started || now() >= deadline) throw busyUnavailable(opts, err);
      sleep(nextPause(tries, deadline - now(), opts));
    }
  }
}

/** The pause before try `tries + 1`: doubling up to the cap, never past the deadline. */
export function nextPause(tries: number, remainingMs: number, opts: Pick<BusyRetryOptions, 'baseDelayMs' | 'maxDelayMs'>): number {
  const cap = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** Math.min(tries, 16));
  // Full jitter spreads out processes that were woken together.
  return Math.min(Math.max(1, Math.round(cap / 2 + (Math.random() * cap) / 2)), Math.max(0, remainingMs));
}

/**
 * `withBusyRetry` for an asynchronous caller: runs `attempt` (which tries for the lock briefly,
 * throwing SQLite's busy error when it could not start) until it does not throw a busy error,
 * pausing on a timer between tries, so the event loop (signal handlers, a second Ctrl-C) runs while
 * another process holds the write lock. `signal` aborted ends the wait with InterruptedError; past
 * the deadline it is the "stayed locked" UnavailableError. A promptctl error is never retried.
 */
export async function waitForWriteLock<T>(attempt: () => T, opts: BusyRetryOptions & { signal?: AbortSignal; pause?: (ms: number, signal?: AbortSignal) => Promise<void> }): Promise<T> {
  const now = opts.now ?? Date.now;
  const pause = opts.pause ?? pauseUnlessStopped;
  const deadline = now() + opts.deadlineMs;
  for (let tries = 0; ; tries++) {
    try {
      return attempt();
    } catch (err) {
      if (!isBusyError(err) || isPromptctlError(err)) throw err;
      if (now() >= deadline) throw busyUnavailable(opts, err);
      await pause(nextPause(tries, deadline - now(), opts), opts.signal);
      throwIfStopped(opts.signal, "while waiting for the registry's write lock", {
        why: `another process held the write lock of ${opts.path}, and the command was stopped before its change began, so the registry is unchanged`,
        cause: err,
      });
    }
  }
}

export function busyUnavailable(opts: { doing: string; path: string }, cause: unknown): UnavailableError {
  return new UnavailableError({
    message: `the registry at ${opts.path} stayed locked by another process while ${opts.doing}`,
    why: 'another process held a lock on the file for longer than promptctl waits: a promptctl command writing, or another program (the sqlite3 shell, a backup, a database viewer) inside a transaction or in exclusive locking mode',
    hint: 'wait for the other promptctl command (a long eval or deploy) to finish, then retry; if none is running, check that no other program keeps the registry file open in a transaction',
    cause,
  });
}
