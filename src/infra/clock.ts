/**
 * Time as a dependency: code that acts after a delay takes a Clock, so its policy can be tested
 * with a fake clock that the test advances by hand, never by waiting.
 */
export interface Clock {
  /** Milliseconds, monotonic enough for measuring intervals. */
  now(): number;
  /** Calls `fn` once after `ms`; returns a function that cancels it. Never keeps the process alive. */
  after(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};
