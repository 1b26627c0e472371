import type { Clock } from './clock.js';

/**
 * Resolves after `ms`, or at once when `signal` is (or becomes) aborted, clearing its timer: a
 * pause left running kept a script's process alive after the work it paused for had stopped. The
 * model client's retries and the SQLite registry's busy waits both pause through it.
 *
 * With `after` (an injected clock's timer), the pause ends when that clock says: a test's clock
 * ends a retry's pause without waiting. A clock's timers never keep the process alive, so the
 * process is held by a timer of its own meanwhile: a script awaiting the paused work must not exit.
 */
export function pauseUnlessStopped(ms: number, signal?: AbortSignal, after?: Clock['after']): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      cancel();
      clearInterval(hold);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    let cancel: () => void = () => {};
    let hold: NodeJS.Timeout | undefined;
    if (after) {
      hold = setInterval(() => {}, 2 ** 31 - 1);
      cancel = after(ms, done);
    } else {
      const timer = setTimeout(done, ms);
      cancel = () => clearTimeout(timer);
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
