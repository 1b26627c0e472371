import { describe, expect, it } from 'vitest';
import { mcnemarExact } from '../../../src/core/stats/mcnemar.js';

describe('exact McNemar test', () => {
  // Fagerland MW, Lydersen S, Laake P (2013), "The McNemar test for binary matched-pairs data: mid-p
  // and asymptotic are better than exact conditional", BMC Medical Research Methodology 13:91:
  // Bentur et al. airway hyper-responsiveness data, n12 = 1 and n21 = 7 discordant pairs, exact
  // conditional two-sided p = 0.070 (= 2 · 9/256 = 0.0703125, their equation (1)).
  it('reproduces the published Bentur et al. example', () => {
    const r = mcnemarExact({ worse: 1, better: 7 });
    expect(r.pTwoSided).toBeCloseTo(0.070, 3);
    expect(r.pTwoSided).toBeCloseTo(18 / 256, 15);
    // One-sided: half of the two-sided doubling, in the direction observed.
    expect(r.pBetter).toBeCloseTo(9 / 256, 15);
    expect(r.pWorse).toBeCloseTo(1 - 1 / 256, 15);
  });

  // Exact conditional p-values from the binomial(m, 1/2) definition in the same paper.
  it.each([
    // worse, better, one-sided p (worse), two-sided p
    [5, 0, 1 / 32, 2 / 32],
    [6, 0, 1 / 64, 2 / 64],
    [4, 0, 1 / 16, 2 / 16],
    [3, 3, 42 / 64, 1],
    [0, 0, 1, 1],
    [10, 2, 79 / 4096, 158 / 4096],
  ])('worse %i, better %i: one-sided %f, two-sided %f', (worse, better, oneSided, twoSided) => {
    const r = mcnemarExact({ worse, better });
    expect(r.pWorse).toBeCloseTo(oneSided, 12);
    expect(r.pTwoSided).toBeCloseTo(twoSided, 12);
  });

  it('is symmetric in its two directions', () => {
    const a = mcnemarExact({ worse: 9, better: 3 });
    const b = mcnemarExact({ worse: 3, better: 9 });
    expect(a.pWorse).toBeCloseTo(b.pBetter, 15);
    expect(a.pTwoSided).toBeCloseTo(b.pTwoSided, 15);
  });

  it('refuses counts that are not whole numbers', () => {
    expect(() => mcnemarExact({ worse: 1.5, better: 0 })).toThrow(RangeError);
    expect(() => mcnemarExact({ worse: -1, better: 0 })).toThrow(RangeError);
  });
});
