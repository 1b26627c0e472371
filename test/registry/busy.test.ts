import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/core/errors.js';
import { isBusyError, withBusyRetry } from '../../src/infra/registry/sqlite-busy.js';

const busy = (code = 'SQLITE_BUSY') => Object.assign(new Error('database is locked'), { code });

/** A fake clock that advances only when the retry loop sleeps. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return { now: () => now, sleep: (ms: number) => { sleeps.push(ms); now += ms; }, sleeps };
}

const opts = (t: ReturnType<typeof fakeTime>, deadlineMs = 10_000) => ({
  deadlineMs, baseDelayMs: 20, maxDelayMs: 1_000, doing: 'writing', path: '/x/registry.db', now: t.now, sleep: t.sleep,
});

describe('withBusyRetry', () => {
  it('recognises busy and locked codes only', async () => {
    expect(isBusyError(busy())).toBe(true);
    expect(isBusyError(busy('SQLITE_BUSY_SNAPSHOT'))).toBe(true);
    expect(isBusyError(busy('SQLITE_LOCKED'))).toBe(true);
    expect(isBusyError(busy('SQLITE_CONSTRAINT'))).toBe(false);
    expect(isBusyError(null)).toBe(false);
  });

  it('retries a busy start with growing, bounded pauses until it succeeds', async () => {
    const t = fakeTime();
    let attempts = 0;
    const result = withBusyRetry(() => {
      if (++attempts < 6) throw busy();
      return 'done';
    }, opts(t));
    expect(result).toBe('done');
    expect(t.sleeps).toHaveLength(5);
    expect(t.sleeps.every((ms) => ms >= 1 && ms <= 1_000)).toBe(true);
    expect(t.sleeps[4]!).toBeGreaterThan(t.sleeps[0]!);
  });

  it('never re-runs a body that already started', async () => {
    const t = fakeTime();
    let attempts = 0;
    expect(() =>
      withBusyRetry((markStarted) => {
        attempts++;
        markStarted();
        throw busy();
      }, opts(t)),
    ).toThrow(UnavailableError);
    expect(attempts).toBe(1);
  });

  it('turns a lock that outlasts the deadline into an UnavailableError with a hint', async () => {
    const t = fakeTime();
    let err: unknown;
    try {
      withBusyRetry(() => {
        throw busy();
      }, opts(t, 5_000));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as UnavailableError).message).toMatch(/registry at \/x\/registry.db stayed locked/);
    expect((err as UnavailableError).hint).toMatch(/wait for the other promptctl command/);
    expect(t.now()).toBeGreaterThanOrEqual(5_000);
    expect(t.now()).toBeLessThan(6_100);
  });

  it('lets other errors through untouched', async () => {
    const t = fakeTime();
    const boom = new Error('boom');
    expect(() =>
      withBusyRetry(() => {
        throw boom;
      }, opts(t)),
    ).toThrow(boom);
    expect(t.sleeps).toEqual([]);
  });
});
