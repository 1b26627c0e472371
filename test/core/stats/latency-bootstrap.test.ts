import { describe, expect, it } from 'vitest';
import { latencyDifferenceInterval } from '../../../src/core/stats/latency-bootstrap.js';
import { seededRandom } from './support.js';

/** Latencies with a long right tail (seeded): 200 ms plus an exponential-ish wait. */
function latencies(n: number, seed: number, shift = 0): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => Math.round(200 + shift - 80 * Math.log(1 - random())));
}

describe('bootstrap interval of a latency difference', () => {
  it('is reproducible with the default seed', () => {
    const a = latencies(300, 1);
    const b = latencies(300, 2);
    expect(latencyDifferenceInterval(a, b)).toEqual(latencyDifferenceInterval(a, b));
  });

  it('contains 0 for two samples of the same distribution and excludes it for a +300 ms shift', () => {
    const base = latencies(400, 1);
    const same = latencyDifferenceInterval(base, latencies(400, 2));
    expect(same.lower).toBeLessThan(0);
    expect(same.upper).toBeGreaterThan(0);
    const slower = latencyDifferenceInterval(base, latencies(400, 3, 300));
    expect(slower.lowerOneSided).toBeGreaterThan(150);
    expect(slower.lower).toBeLessThan(slower.observed);
    expect(slower.upper).toBeGreaterThan(slower.observed);
    expect(slower.lowerOneSided).toBeGreaterThanOrEqual(slower.lower);
  });

  it('uses the gate\'s nearest-rank percentile for the observed difference', () => {
    const base = Array.from({ length: 100 }, (_, i) => i + 1);
    const cand = base.map((x) => x + 10);
    const p95 = latencyDifferenceInterval(base, cand);
    expect(p95.observed).toBe(10);
    const median = latencyDifferenceInterval(base, cand, { statistic: 'median' });
    expect(median).toMatchObject({ statistic: 'median', observed: 10 });
  });

  it('a median is steadier than a p95', () => {
    const base = latencies(300, 5);
    const cand = latencies(300, 6);
    const p95 = latencyDifferenceInterval(base, cand);
    const median = latencyDifferenceInterval(base, cand, { statistic: 'median' });
    expect(median.upper - median.lower).toBeLessThan(p95.upper - p95.lower);
  });

  it('refuses an empty arm and a confidence outside (0, 1)', () => {
    expect(() => latencyDifferenceInterval([], [1])).toThrow(RangeError);
    expect(() => latencyDifferenceInterval([1], [1], { confidence: 1 })).toThrow(RangeError);
  });
});

describe('the resampled percentile without sorting', () => {
  it('is the gate\'s nearest-rank percentile of the same resample', async () => {
    const { percentile } = await import('../../../src/core/scoring/aggregate.js');
    const { internals } = await import('../../../src/core/stats/latency-bootstrap.js');
    const values = latencies(37, 8);
    const sorted = [...values].sort((a, b) => a - b);
    for (const p of [50, 95]) {
      for (let seed = 0; seed < 50; seed++) {
        // Replay the same draws: once through the fast path, once as an explicit resample.
        const fast = internals.resampledPercentile(sorted, internals.nearestRank(sorted.length, p), seededRandom(seed), new Uint32Array(sorted.length));
        const random = seededRandom(seed);
        const resample = sorted.map(() => sorted[Math.min(sorted.length - 1, Math.floor(random() * sorted.length))]!);
        expect(fast).toBe(percentile(resample, p));
      }
    }
  });
});
