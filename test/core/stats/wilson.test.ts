import { describe, expect, it } from 'vitest';
import { clusteredRateInterval } from '../../../src/core/stats/clustered-rate.js';
import { wilsonFromRate, wilsonInterval } from '../../../src/core/stats/wilson.js';

describe('Wilson score interval', () => {
  // Newcombe RG (1998), "Two-sided confidence intervals for the single proportion: comparison of
  // seven methods", Statistics in Medicine 17:857-872, Table II, method 3 (score, no continuity
  // correction), 95%: 81/263, 15/148, 0/20 and 1/29.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i of %i is [%f, %f] (Newcombe 1998)', (k, n, lower, upper) => {
    const ci = wilsonInterval(k, n);
    expect(ci.lower).toBeCloseTo(lower, 4);
    expect(ci.upper).toBeCloseTo(upper, 4);
    expect(ci.estimate).toBeCloseTo(k / n, 12);
  });

  it('mirrors for failures, stays inside [0, 1] and is exact at the ends', () => {
    const all = wilsonInterval(20, 20);
    expect(all.upper).toBe(1);
    expect(all.lower).toBeCloseTo(1 - 0.1611, 4);
    expect(wilsonInterval(0, 20).lower).toBe(0);
  });

  // Bounds are shown in JSON and compared with minimums: at 0 passes the lower bound is 0, not
  // 1e-17, and at every pass the upper bound is 1, for every suite size (at 95%, float rounding of
  // centre - half leaves ~1e-17 for 445 of the sizes below 2000).
  it('is exactly 0 below at 0 passes and exactly 1 above at n of n, for every n from 1 to 2000', () => {
    const off: string[] = [];
    for (let n = 1; n <= 2000; n++) {
      for (const confidence of [0.9, 0.95, 0.99]) {
        const none = wilsonInterval(0, n, confidence);
        const all = wilsonInterval(n, n, confidence);
        if (none.lower !== 0) off.push(`0 of ${n} at ${confidence}: lower ${none.lower}`);
        if (all.upper !== 1) off.push(`${n} of ${n} at ${confidence}: upper ${all.upper}`);
      }
    }
    expect(off).toEqual([]);
  });

  it('is exact at the ends for a fractional sample size too (the clustered interval feeds one)', () => {
    for (const n of [0.5, 1.7, 12.25, 333.3, 1999.9]) {
      expect(wilsonFromRate(0, n).lower, `n ${n}`).toBe(0);
      expect(wilsonFromRate(1, n).upper, `n ${n}`).toBe(1);
    }
  });

  it('is the whole of [0, 1] without trials, and widens with confidence', () => {
    expect(wilsonInterval(0, 0)).toMatchObject({ lower: 0, upper: 1 });
    const ninety = wilsonInterval(9, 10, 0.9);
    const ninetyNine = wilsonInterval(9, 10, 0.99);
    expect(ninetyNine.lower).toBeLessThan(ninety.lower);
    expect(ninetyNine.upper).toBeGreaterThan(ninety.upper);
  });

  it('refuses impossible counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
  });
});

describe('clustered pass-rate interval', () => {
  it('is exactly the Wilson interval on the cases when each case ran once', () => {
    const cases = [...Array(81).fill({ passes: 1, samples: 1 }), ...Array(182).fill({ passes: 0, samples: 1 })];
    const ci = clusteredRateInterval(cases);
    const wilson = wilsonInterval(81, 263);
    expect(ci.lower).toBeCloseTo(wilson.lower, 12);
    expect(ci.upper).toBeCloseTo(wilson.upper, 12);
    expect(ci.effectiveTrials).toBeCloseTo(263, 9);
  });

  it('counts cases, not samples, when every case always gives the same verdict', () => {
    // 10 cases x 5 samples, each case all-pass or all-fail: the 50 samples hold only 10 facts.
    const cases = [...Array(8).fill({ passes: 5, samples: 5 }), ...Array(2).fill({ passes: 0, samples: 5 })];
    const ci = clusteredRateInterval(cases);
    expect(ci.effectiveTrials).toBeCloseTo(10, 9);
    const wilson = wilsonInterval(8, 10);
    expect(ci.lower).toBeCloseTo(wilson.lower, 12);
    expect(ci.upper).toBeCloseTo(wilson.upper, 12);
  });

  it('uses every sample when the samples vary inside each case as much as overall', () => {
    // Each case passes 2 of 4: all the variation is within cases, so design effect < 1, capped at the samples.
    const ci = clusteredRateInterval(Array(10).fill({ passes: 2, samples: 4 }));
    expect(ci.effectiveTrials).toBe(40);
    expect(ci.estimate).toBe(0.5);
  });

  it('falls back to the number of cases when every sample passed', () => {
    const ci = clusteredRateInterval(Array(10).fill({ passes: 3, samples: 3 }));
    expect(ci.effectiveTrials).toBe(10);
    expect(ci.lower).toBeCloseTo(wilsonInterval(10, 10).lower, 12);
  });

  it('is between the case-level and the naive sample-level interval for ordinary data', () => {
    const cases = [
      { passes: 3, samples: 3 },
      { passes: 0, samples: 3 },
      { passes: 3, samples: 3 },
      { passes: 2, samples: 3 },
    ];
    const ci = clusteredRateInterval(cases);
    expect(ci.effectiveTrials).toBeGreaterThan(4);
    expect(ci.effectiveTrials).toBeLessThan(12);
    expect(ci.upper - ci.lower).toBeGreaterThan(wilsonInterval(8, 12).upper - wilsonInterval(8, 12).lower);
  });

  it('has no information without samples', () => {
    expect(clusteredRateInterval([])).toMatchObject({ lower: 0, upper: 1, effectiveTrials: 0 });
  });
});
