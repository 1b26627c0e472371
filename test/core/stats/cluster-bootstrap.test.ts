import { describe, expect, it } from 'vitest';
import { bootstrapDrops, clusteredRegressionVerdict, type CaseSamples } from '../../../src/core/stats/cluster-bootstrap.js';
import { seededRandom } from './support.js';

/** `n` cases of `repeat` samples; `baseline(i)` / `candidate(i)` give case i's passing samples. */
function suite(n: number, repeat: number, baseline: (i: number) => number, candidate: (i: number) => number): CaseSamples[] {
  return Array.from({ length: n }, (_, i) => ({ baselinePass: baseline(i), baselineSamples: repeat, candidatePass: candidate(i), candidateSamples: repeat }));
}

const limit = { maxDrop: 0.05 };

describe('cluster bootstrap regression verdict (repeat > 1)', () => {
  it('is reproducible: the same cases and seed give the same bound, another seed a close one', () => {
    const cases = suite(60, 3, (i) => (i % 10 < 8 ? 3 : 1), (i) => (i % 10 < 7 ? 3 : 1));
    const a = clusteredRegressionVerdict(cases, limit);
    const b = clusteredRegressionVerdict(cases, limit);
    expect(b).toEqual(a);
    const other = clusteredRegressionVerdict(cases, { ...limit, seed: 99 });
    expect(Math.abs(other.lowerBound - a.lowerBound)).toBeLessThan(0.02);
  });

  it('passes when the observed drop is within the limit, however few the cases', () => {
    const v = clusteredRegressionVerdict(suite(4, 5, () => 5, () => 5), limit);
    expect(v).toMatchObject({ outcome: 'pass', observedDrop: 0, method: 'cluster-bootstrap', worse: 0, better: 0 });
  });

  it('a drop on many cases is a regression; the same drop on few cases is inconclusive with a case estimate', () => {
    const drop = (n: number) => suite(n, 4, (i) => (i % 5 === 0 ? 2 : 4), (i) => (i % 5 === 0 ? 0 : i % 5 === 1 ? 3 : 4));
    const few = clusteredRegressionVerdict(drop(5), limit);
    expect(few.observedDrop).toBeCloseTo(0.15, 12);
    expect(few.outcome).toBe('inconclusive');
    expect(few.casesToDecide).toBeGreaterThan(5);
    const many = clusteredRegressionVerdict(drop(400), limit);
    expect(many.outcome).toBe('regression');
    expect(many.lowerBound).toBeGreaterThan(0.05);
    expect(many.pValue).toBeLessThanOrEqual(0.05);
  });

  it('resamples whole cases: samples of a case that always agree add no certainty', () => {
    // Each case's samples all agree, so 10 samples per case hold the same information as one.
    const one = clusteredRegressionVerdict(suite(30, 1, (i) => (i < 27 ? 1 : 0), (i) => (i < 24 ? 1 : 0)), limit);
    const ten = clusteredRegressionVerdict(suite(30, 10, (i) => (i < 27 ? 10 : 0), (i) => (i < 24 ? 10 : 0)), limit);
    expect(ten.lowerBound).toBeCloseTo(one.lowerBound, 12);
  });

  it('p-value and bound agree: p <= 1 - confidence exactly when the bound clears the limit', () => {
    const random = seededRandom(3);
    for (let t = 0; t < 40; t++) {
      const cases = suite(50, 3, () => Math.floor(random() * 4), () => Math.floor(random() * 4));
      const v = clusteredRegressionVerdict(cases, { maxDrop: 0, resamples: 399, seed: t });
      expect(v.pValue <= 0.05).toBe(v.lowerBound > 0);
    }
  });

  it('bootstrap replicates are sorted and centred near the observed drop', () => {
    const cases = suite(100, 3, (i) => (i % 4 === 0 ? 1 : 3), (i) => (i % 4 === 0 ? 0 : 3));
    const drops = bootstrapDrops(cases, 999, 1);
    expect(drops).toEqual([...drops].sort((a, b) => a - b));
    const mean = drops.reduce((s, d) => s + d, 0) / drops.length;
    expect(mean).toBeCloseTo(25 / 300, 2);
  });

  it('refuses a case without samples or with more passes than samples', () => {
    expect(() => clusteredRegressionVerdict([{ baselinePass: 1, baselineSamples: 0, candidatePass: 0, candidateSamples: 1 }], limit)).toThrow(RangeError);
    expect(() => clusteredRegressionVerdict([{ baselinePass: 3, baselineSamples: 2, candidatePass: 0, candidateSamples: 2 }], limit)).toThrow(RangeError);
  });
});
