import { describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/core/errors.js';
import { UnverifiedRecordError } from '../../src/registry-api.js';
import { FIRST_BACKOFF_MS, MAX_BACKOFF_MS, ReadCache } from '../../src/registry-cache.js';

/**
 * The library's read cache under a slow or failing registry, on clocks the test moves by hand:
 * concurrent callers share one fetch; after a failure the last good value is served stale at once
 * for a back-off instead of every call waiting for the registry again; ages follow the monotonic
 * clock, never the wall clock (an NTP step back keeps nothing fresh).
 */

function clocks() {
  const c = { wall: Date.UTC(2026, 11, 5, 12), mono: 0 };
  return { c, wall: () => c.wall, mono: () => c.mono };
}

/** A fetch the test settles by hand, counting its calls. */
function gate() {
  let calls = 0;
  let settle: { resolve: (v: { v: number }) => void; reject: (e: unknown) => void } | undefined;
  const fetch = () =>
    new Promise<{ v: number }>((resolve, reject) => {
      calls++;
      settle = { resolve, reject };
    });
  return { fetch, calls: () => calls, resolve: (v: number) => settle!.resolve({ v }), reject: (e: unknown) => settle!.reject(e) };
}

const down = () => new UnavailableError({ message: 'no answer from the registry' });

describe('ReadCache', () => {
  it('five concurrent callers of one key share one fetch, each with its own copy', async () => {
    const { wall, mono } = clocks();
    const cache = new ReadCache(0, wall, mono);
    const g = gate();
    const reads = Array.from({ length: 5 }, () => cache.read('k', g.fetch));
    g.resolve(1);
    const values = await Promise.all(reads);
    expect(g.calls()).toBe(1);
    expect(values).toEqual(Array.from({ length: 5 }, () => ({ v: 1 })));
    expect(new Set(values).size).toBe(5);
  });

  it('five concurrent callers during a failure share it: one fetch, all served the last good value stale', async () => {
    const { wall, mono } = clocks();
    const cache = new ReadCache(0, wall, mono);
    const g = gate();
    const first = cache.read('k', g.fetch);
    g.resolve(1);
    await first;
    const reads = Array.from({ length: 5 }, () => cache.read('k', g.fetch));
    g.reject(down());
    const values = await Promise.all(reads);
    expect(g.calls()).toBe(2);
    for (const v of values) expect(v).toMatchObject({ v: 1, stale: true, staleReason: 'no answer from the registry' });
  });

  it('after a failure, serves stale at once for a back-off that doubles up to its cap, and asks again after it', async () => {
    const { c, wall, mono } = clocks();
    const cache = new ReadCache(0, wall, mono);
    let calls = 0;
    let fail = false;
    const fetch = async () => {
      calls++;
      if (fail) throw down();
      return { v: calls };
    };
    await cache.read('k', fetch);
    fail = true;
    let backoff = FIRST_BACKOFF_MS;
    for (let round = 0; round < 8; round++) {
      const before = calls;
      expect(await cache.read('k', fetch)).toMatchObject({ v: 1, stale: true });
      expect(calls).toBe(before + 1);
      c.mono += backoff - 1;
      expect(await cache.read('k', fetch)).toMatchObject({ v: 1, stale: true });
      expect(calls).toBe(before + 1);
      c.mono += 1;
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
    }
    expect(backoff).toBe(MAX_BACKOFF_MS);
    fail = false;
    expect(await cache.read('k', fetch)).toEqual({ v: calls });
  });

  it('a deploy record that does not verify is served stale for that call only: every next call asks again, with no back-off', async () => {
    const { wall, mono } = clocks();
    const cache = new ReadCache(0, wall, mono);
    let calls = 0;
    let unverified = false;
    const fetch = async () => {
      calls++;
      if (unverified) throw new UnverifiedRecordError({ message: 'the deploy record does not verify' });
      return { v: calls };
    };
    await cache.read('k', fetch);
    unverified = true;
    for (let call = 2; call <= 4; call++) {
      expect(await cache.read('k', fetch)).toMatchObject({ v: 1, stale: true, staleReason: 'the deploy record does not verify' });
      expect(calls).toBe(call);
    }
    // Verified again (a passing state read, or a record restored): served at once, no time having passed.
    unverified = false;
    expect(await cache.read('k', fetch)).toEqual({ v: 5 });
    // An unreachable registry still backs off.
    await cache.read('k', async () => Promise.reject(down()));
    expect(await cache.read('k', fetch)).toMatchObject({ v: 5, stale: true });
    expect(calls).toBe(5);
  });

  it('with no value yet, a failure is thrown to every concurrent caller', async () => {
    const { wall, mono } = clocks();
    const cache = new ReadCache(0, wall, mono);
    const g = gate();
    const reads = Array.from({ length: 3 }, () => cache.read('k', g.fetch));
    g.reject(down());
    for (const r of await Promise.allSettled(reads)) expect(r).toMatchObject({ status: 'rejected', reason: { message: 'no answer from the registry' } });
    expect(g.calls()).toBe(1);
  });

  it.each([
    ['the wall clock steps back an hour as the TTL passes', -3_600_000, 30_000, true],
    ['the wall clock steps back an hour', -3_600_000, 0, false],
    ['the wall clock steps forward an hour', 3_600_000, 0, false],
    ['monotonic time passes the TTL', 0, 30_000, true],
    ['monotonic time stays under the TTL', 0, 29_999, false],
  ])('freshness: %s', async (_, wallStep, monoStep, fetchedAgain) => {
    const { c, wall, mono } = clocks();
    const cache = new ReadCache(30_000, wall, mono);
    let calls = 0;
    const fetch = async () => ({ v: ++calls });
    await cache.read('k', fetch);
    c.wall += wallStep;
    c.mono += monoStep;
    await cache.read('k', fetch);
    expect(calls).toBe(fetchedAgain ? 2 : 1);
  });

  it('stamps fetchedAt with the wall clock', async () => {
    const { c, wall, mono } = clocks();
    const cache = new ReadCache(0, wall, mono);
    let fail = false;
    const fetch = async () => {
      if (fail) throw down();
      return { v: 1 };
    };
    await cache.read('k', fetch);
    fail = true;
    c.wall += 5_000;
    expect(await cache.read('k', fetch)).toMatchObject({ stale: true, fetchedAt: '2026-12-05T12:00:00.000Z' });
  });
});
