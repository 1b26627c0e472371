import { describe, expect, it } from 'vitest';
import { decideSuites, holm } from '../../../src/core/stats/holm.js';
import type { PairedCounts } from '../../../src/core/stats/paired-difference.js';
import { pairedRegressionVerdict } from '../../../src/core/stats/regression-verdict.js';

describe('Holm correction', () => {
  // Worked from Holm's definition (Holm S (1979), "A simple sequentially rejective multiple test
  // procedure", Scandinavian Journal of Statistics 6:65-70), the example of the Wikipedia article
  // "Holm–Bonferroni method": p = 0.01, 0.04, 0.03, 0.005 at α = 0.05 rejects H1 and H4 only
  // (0.005 <= 0.05/4, 0.01 <= 0.05/3, then 0.03 > 0.05/2 stops). Adjusted p-values are
  // max over the first i of (m - j + 1)·p(j), as R's p.adjust(method = "holm").
  it('rejects step-down and adjusts as p.adjust does', () => {
    const r = holm([0.01, 0.04, 0.03, 0.005], 0.05);
    expect(r.rejected).toEqual([true, false, false, true]);
    r.adjusted.forEach((p, i) => expect(p).toBeCloseTo([0.03, 0.06, 0.06, 0.02][i]!, 12));
    r.levels.forEach((l, i) => expect(l).toBeCloseTo([1 - 0.05 / 3, 1 - 0.05 / 2, 1 - 0.05 / 2, 1 - 0.05 / 4][i]!, 12));
  });

  // Holm rejects at p <= alpha / (m - rank): a p-value exactly at the threshold is rejected, and the
  // step-down goes on to the next hypothesis at the looser level.
  it.each<[string, number[], number, boolean[], number[]]>([
    ['p exactly alpha/2 first, of two', [0.125, 0.5], 0.25, [true, false], [0.875, 0.75]],
    ['p exactly alpha/2, then exactly alpha', [0.125, 0.25], 0.25, [true, true], [0.875, 0.75]],
    ['p a hair above alpha/2 stops the step-down', [0.125000001, 0.2], 0.25, [false, false], [0.875, 0.875]],
    ['one hypothesis exactly at alpha', [0.05], 0.05, [true], [0.95]],
  ])('a tie with the threshold is rejected: %s', (_name, p, alpha, rejected, levels) => {
    const r = holm(p, alpha);
    expect(r.rejected).toEqual(rejected);
    r.levels.forEach((l, i) => expect(l).toBeCloseTo(levels[i]!, 12));
  });

  it('caps adjusted values at 1 and is plain testing for one hypothesis', () => {
    expect(holm([0.01, 0.02, 0.03, 0.04, 0.05]).adjusted.map((p) => +p.toFixed(12))).toEqual([0.05, 0.08, 0.09, 0.09, 0.09]);
    expect(holm([0.6, 0.7]).adjusted).toEqual([1, 1]);
    expect(holm([0.04], 0.05)).toEqual({ adjusted: [0.04], rejected: [true], levels: [0.95] });
    expect(holm([])).toEqual({ adjusted: [], rejected: [], levels: [] });
  });
});

const once = (worse: number, better: number, same: number): PairedCounts => ({ cases: worse + better + same, worse, better });

describe('several suites of one version', () => {
  it('a regression that is clear alone can become inconclusive when three suites share the 5%', () => {
    // Alone: bound just above the limit at 95%. With two clean suites, Holm tests it at 1 - 0.05/3.
    const borderline = once(29, 0, 371);
    expect(pairedRegressionVerdict(borderline, { maxDrop: 0.05 }).outcome).toBe('regression');
    const verdicts = decideSuites(
      [
        { suite: 'billing', counts: borderline },
        { suite: 'shipping', counts: once(0, 0, 100) },
        { suite: 'refunds', counts: once(1, 1, 98) },
      ],
      { maxDrop: 0.05 },
    );
    expect(verdicts.map((v) => [v.suite, v.outcome])).toEqual([
      ['billing', 'inconclusive'],
      ['shipping', 'pass'],
      ['refunds', 'pass'],
    ]);
    expect(verdicts[0]!.confidence).toBeCloseTo(1 - 0.05 / 3, 12);
    expect(verdicts[0]!.familySize).toBe(3);
    expect(verdicts[0]!.adjustedPValue).toBeGreaterThan(0.05);
  });

  it('the family is every suite the version is judged on: one suite compared of three applying is tested as when the other two are clean', () => {
    // The same borderline drop, compared alone before the other suites have runs: tested at 1 - 0.05/3
    // all the same, so running the other suites later cannot turn the verdict from regression to warning.
    const borderline = once(29, 0, 371);
    const [alone] = decideSuites([{ suite: 'billing', counts: borderline }], { maxDrop: 0.05 }, 3);
    expect(alone).toMatchObject({ outcome: 'inconclusive', familySize: 3 });
    expect(alone!.confidence).toBeCloseTo(1 - 0.05 / 3, 12);
    const together = decideSuites([{ suite: 'billing', counts: borderline }, { suite: 'shipping', counts: once(0, 0, 100) }, { suite: 'refunds', counts: once(1, 1, 98) }], { maxDrop: 0.05 }, 3);
    expect(together[0]).toMatchObject({ outcome: alone!.outcome, familySize: 3 });
  });

  it('a clear regression stays one after the correction, and one suite is not corrected at all', () => {
    const verdicts = decideSuites([{ suite: 'a', counts: once(80, 0, 320) }, { suite: 'b', counts: once(0, 0, 50) }], { maxDrop: 0.05 });
    expect(verdicts[0]).toMatchObject({ outcome: 'regression', suite: 'a' });
    const single = decideSuites([{ suite: 'a', counts: once(45, 0, 355) }], { maxDrop: 0.05 });
    expect(single[0]).toMatchObject({ outcome: 'regression', confidence: 0.95, familySize: 1 });
  });

  it("a suite exactly at Holm's first threshold is rejected, so the next suite is tested at the looser level", () => {
    // gates.confidence 0.875: alpha 0.125. 4 of 4 cases worse has McNemar p 1/16 = 0.125/2 exactly,
    // Holm's first threshold of two suites; rejected, so 5 worse and 1 better (p 0.109) is then
    // tested at 87.5%, where it is a regression (at 93.75% it would be inconclusive).
    const verdicts = decideSuites([{ suite: 'tie', counts: once(4, 0, 0) }, { suite: 'next', counts: once(5, 1, 0) }], { maxDrop: 0, confidence: 0.875 });
    expect(verdicts.map((v) => [v.suite, v.outcome, v.confidence])).toEqual([
      ['tie', 'regression', 0.9375],
      ['next', 'regression', 0.875],
    ]);
  });

  it('stops the step-down at a suite the exact McNemar test does not confirm', () => {
    // 5 of 5 worse: Tango's p (0.017) clears 0.05/2, but McNemar's 1/32 does not, so it is no regression at 97.5%.
    // Holm must not then test the 28-of-400 suite (Tango p 0.033) at the looser 95%, where it would be one.
    expect(pairedRegressionVerdict(once(28, 0, 372), { maxDrop: 0.05 }).outcome).toBe('regression');
    const verdicts = decideSuites([{ suite: 'tiny', counts: once(5, 0, 0) }, { suite: 'big', counts: once(28, 0, 372) }], { maxDrop: 0.05 });
    expect(verdicts.map((v) => [v.suite, v.outcome])).toEqual([
      ['tiny', 'inconclusive'],
      ['big', 'inconclusive'],
    ]);
    for (const v of verdicts) expect(v.confidence).toBeCloseTo(0.975, 12);
  });
});
