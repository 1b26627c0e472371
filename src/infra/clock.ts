/**
 * Time as a dependency, one interface everywhere: recorded timestamps come from `date()`,
 * intervals and timers from `now()` and `after()`. Code takes a Clock, so its policy can be tested
 * with a fake clock that the test advances by hand, never by waiting.
 */
export interface Clock {
  /** Wall-clock time, for what is recorded (run start and end, events, report times). */
  date(): Date;
  /** Milliseconds, monotonic, for measuring intervals. */
  now(): number;
  /** Calls `fn` once after `ms`; returns a function that cancels it. Never keeps the process alive. */
  after(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  date: () => new Date(),
  now: () => performance.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};
