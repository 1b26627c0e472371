/**
 * Resolves after `ms`, or at once when `signal` is (or becomes) aborted, clearing its timer: a
 * pause left running kept a script's process alive after the work it paused for had stopped. The
 * model client's retries and the SQLite registry's busy waits both pause through it.
 */
export function pauseUnlessStopped(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
