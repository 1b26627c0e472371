import type { Clock } from './clock.js';

/**
 * Resolves after `ms`, or at once when `signal` is (or becomes) aborted, clearing its timer: a
 * pause left running kept a script's process alive after the work it paused for had stopped. The
 * model client's retries and the SQLite registry's busy waits both pause through it.
 *
 * With `after` (an injected clock's timer), the pause ends when that clock says, and at the latest
 * after `ms` of real time: a test's clock ends a retry's pause without waiting, and a clock that
 * never fires cannot hold the work (or the process, which the real timer keeps alive meanwhile, as a
 * clock's own timers do not) forever. An `after` that throws ends the pause with its error.
 */
export function pauseUnlessStopped(ms: number, signal?: AbortSignal, after?: Clock['after']): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return resolve();
    let cancel: () => void = () => {};
    const settle = (error?: unknown): void => {
      cancel();
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      if (error === undefined) resolve();
      else reject(error);
    };
    const done = (): void => settle();
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    if (!after) return;
    try {
      cancel = after(ms, done);
    } catch (error) {
      settle(error ?? new Error('the clock\'s after() threw'));
    }
  });
}
