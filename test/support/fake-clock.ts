import type { Clock } from '../../src/infra/clock.js';

/** A Clock that moves only when the test says so: timers fire inside `advance`, in order. */
/** Wall-clock time at `now() === 0`. */
const EPOCH = Date.UTC(2026, 0, 1);

export function fakeClock(start = 0): Clock & { advance(ms: number): void; timers(): number } {
  let t = start;
  let timers: Array<{ at: number; fn: () => void }> = [];
  return {
    now: () => t,
    date: () => new Date(EPOCH + t),
    after(ms, fn) {
      const timer = { at: t + ms, fn };
      timers.push(timer);
      return () => (timers = timers.filter((x) => x !== timer));
    },
    advance(ms) {
      t += ms;
      for (const due of timers.filter((x) => x.at <= t)) {
        timers = timers.filter((x) => x !== due);
        due.fn();
      }
    },
    timers: () => timers.length,
  };
}
