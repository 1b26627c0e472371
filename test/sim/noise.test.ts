import { describe, expect, it } from 'vitest';
import { casePassProbability, createNoise, readDirective, samplePasses, validateNoiseOptions } from '../../src/sim/noise.js';

const users = Array.from({ length: 2000 }, (_, i) => `When does the store open? (case ${i})`);

describe('noise settings', () => {
  it('fills in the documented defaults', () => {
    expect(validateNoiseOptions({})).toEqual({
      seed: 0,
      passRate: 0.85,
      spread: 1,
      flipRate: 0,
      passDrop: 0,
      jitterMs: 0,
      busyFactor: 2,
      busyExtraMs: 0,
      busy: false,
      busyFrom: undefined,
      busyUntil: undefined,
    });
  });

  it('refuses rates outside [0, 1] and negative times', () => {
    expect(() => validateNoiseOptions({ flipRate: 1.5 })).toThrow(/flipRate/);
    expect(() => validateNoiseOptions({ passRate: -0.1 })).toThrow(/passRate/);
    expect(() => validateNoiseOptions({ jitterMs: -1 })).toThrow(/jitterMs/);
    expect(() => validateNoiseOptions({ busy: 'yes' as unknown as boolean })).toThrow(/busy/);
  });

  it('refuses an empty busy window, which would never make the server busy', () => {
    expect(() => validateNoiseOptions({ busyFrom: 5, busyUntil: 2 })).toThrow(/busyUntil must be above busyFrom/);
    expect(() => validateNoiseOptions({ busyFrom: 3, busyUntil: 3 })).toThrow(/busyUntil must be above busyFrom/);
    expect(validateNoiseOptions({ busyFrom: 2, busyUntil: 3 })).toMatchObject({ busyFrom: 2, busyUntil: 3 });
  });
});

describe('directive line', () => {
  it('reads pass-drop and latency-ms and removes the line from the system message', () => {
    const r = readDirective('Our store opens at 9am.\nsim-noise: pass-drop=0.1 latency-ms=300\nShipping is free.');
    expect(r.directive).toEqual({ passDrop: 0.1, latencyMs: 300 });
    expect(r.system).toBe('Our store opens at 9am.\nShipping is free.');
  });

  it('ignores values it cannot use and leaves a message without a directive untouched', () => {
    expect(readDirective('x\nsim-noise: pass-drop=2 latency-ms=abc colour=red').directive).toEqual({ passDrop: 0, latencyMs: 0 });
    const text = 'Refunds within 30 days.\n\nAsk us anything.';
    expect(readDirective(text)).toEqual({ directive: { passDrop: 0, latencyMs: 0 }, system: text });
  });
});

describe('per-case base pass probability', () => {
  it('makes cases easy or hard at spread 1, in about the configured share', () => {
    const s = validateNoiseOptions({ seed: 3 });
    const ps = users.map((u) => casePassProbability(s, u));
    expect(new Set(ps)).toEqual(new Set([0, 1]));
    const easy = ps.filter((p) => p === 1).length / ps.length;
    expect(easy).toBeGreaterThan(0.82);
    expect(easy).toBeLessThan(0.88);
  });

  it('is the same for a case whatever the seed-independent text around it, and another seed reshuffles', () => {
    const a = validateNoiseOptions({ seed: 1 });
    const b = validateNoiseOptions({ seed: 2 });
    expect(users.map((u) => casePassProbability(a, u))).toEqual(users.map((u) => casePassProbability(a, u)));
    expect(users.map((u) => casePassProbability(a, u))).not.toEqual(users.map((u) => casePassProbability(b, u)));
  });

  it('gives every case the mean at spread 0, and mixes in between', () => {
    expect(casePassProbability(validateNoiseOptions({ spread: 0, passRate: 0.7 }), 'q')).toBeCloseTo(0.7, 12);
    const half = validateNoiseOptions({ spread: 0.5, passRate: 0.8 });
    expect(new Set(users.map((u) => +casePassProbability(half, u).toFixed(12)))).toEqual(new Set([0.4, 0.9]));
  });

  it('a pass drop breaks about that share of all cases, only easy ones, and a bigger drop a superset', () => {
    const s = validateNoiseOptions({ seed: 5 });
    const before = users.map((u) => casePassProbability(s, u));
    const small = users.map((u) => casePassProbability(s, u, 0.03));
    const large = users.map((u) => casePassProbability({ ...s, passDrop: 0.1 }, u));
    const broken = (after: number[]) => after.map((p, i) => before[i] === 1 && p === 0);
    const smallBroken = broken(small);
    const largeBroken = broken(large);
    expect(small.every((p, i) => p <= before[i]!)).toBe(true);
    expect(smallBroken.filter(Boolean).length / users.length).toBeCloseTo(0.03, 1);
    expect(largeBroken.filter(Boolean).length / users.length).toBeCloseTo(0.1, 1);
    expect(smallBroken.every((b, i) => !b || largeBroken[i])).toBe(true);
  });
});

describe('per-sample draws', () => {
  const s = validateNoiseOptions({ flipRate: 0.2 });
  const draws = (pass: number, flip: number) => (purpose: 'pass' | 'flip') => (purpose === 'pass' ? pass : flip);
  it.each([
    [1, 0.5, 0.5, true],
    [1, 0.5, 0.1, false],
    [0, 0.5, 0.1, true],
    [0, 0.5, 0.9, false],
    [0.6, 0.59, 0.9, true],
    [0.6, 0.61, 0.9, false],
  ])('p %f, pass draw %f, flip draw %f: passes %s', (p, pass, flip, expected) => {
    expect(samplePasses(s, p, draws(pass, flip))).toBe(expected);
  });

  it('hashes draws from the request when it carries a seed, so the same request gets the same verdict', () => {
    const noise = createNoise({ spread: 0, passRate: 0.5 });
    const none = { passDrop: 0, latencyMs: 0 };
    const first = Array.from({ length: 40 }, (_, seed) => noise.passes('q', none, `${seed}|messages`));
    const again = Array.from({ length: 40 }, (_, seed) => noise.passes('q', none, `${seed}|messages`));
    expect(again).toEqual(first);
    expect(new Set(first)).toEqual(new Set([true, false]));
  });

  it('draws from the seeded stream without a request seed: a new simulator repeats the sequence', () => {
    const seq = () => {
      const noise = createNoise({ seed: 9, spread: 0, passRate: 0.5 });
      return Array.from({ length: 30 }, () => noise.passes('q', { passDrop: 0, latencyMs: 0 }, undefined));
    };
    expect(seq()).toEqual(seq());
  });
});

describe('planned delay', () => {
  const none = { passDrop: 0, latencyMs: 0 };
  it('is busy inside the request window only, and slows by the factor plus the extra', () => {
    const noise = createNoise({ busyFrom: 2, busyUntil: 4, busyFactor: 3, busyExtraMs: 10 });
    expect([0, 1, 2, 3, 4, 5].map((i) => noise.delay(100, none, i))).toEqual([
      { ms: 100, busy: false },
      { ms: 100, busy: false },
      { ms: 310, busy: true },
      { ms: 310, busy: true },
      { ms: 100, busy: false },
      { ms: 100, busy: false },
    ]);
  });

  it('follows the busy switch, and adds the prompt\'s own latency before the busy factor', () => {
    const noise = createNoise({});
    expect(noise.delay(50, { passDrop: 0, latencyMs: 300 }, 0)).toEqual({ ms: 350, busy: false });
    noise.setBusy(true);
    expect(noise.delay(50, { passDrop: 0, latencyMs: 300 }, 1)).toEqual({ ms: 700, busy: true });
    expect(noise.settings().busy).toBe(true);
    noise.setBusy(false);
    expect(noise.delay(50, none, 2).busy).toBe(false);
  });

  it('jitters within [0, jitterMs), reproducibly for a seed', () => {
    const delays = (seed: number) => {
      const noise = createNoise({ seed, jitterMs: 40 });
      return Array.from({ length: 200 }, (_, i) => noise.delay(100, none, i).ms);
    };
    const a = delays(1);
    expect(a.every((ms) => ms >= 100 && ms < 140)).toBe(true);
    expect(new Set(a).size).toBeGreaterThan(150);
    expect(delays(1)).toEqual(a);
    expect(delays(2)).not.toEqual(a);
  });
});
