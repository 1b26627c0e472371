import { describe, expect, it } from 'vitest';
import { binomialLowerTail, binomialPmf, binomialUpperTail } from '../../../src/core/stats/binomial.js';
import { normalCdf, normalQuantile, zFor } from '../../../src/core/stats/normal.js';

describe('normal distribution', () => {
  // Quantiles to 6 decimals as tabulated in Abramowitz & Stegun (1964), Table 26.5, and the
  // NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.1 (critical values of the normal).
  it.each([
    [0.5, 0],
    [0.8, 0.841621],
    [0.9, 1.281552],
    [0.95, 1.644854],
    [0.975, 1.959964],
    [0.99, 2.326348],
    [0.995, 2.575829],
    [0.999, 3.090232],
    [0.025, -1.959964],
  ])('Φ⁻¹(%f) = %f', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 6);
  });

  // Φ(x) from A&S Table 26.1 (and 26.2 for the far tail: Q(8) = 6.22096e-16).
  it.each([
    [0, 0.5],
    [1, 0.841345],
    [1.96, 0.975002],
    [-1.96, 0.024998],
    [3, 0.998650],
  ])('Φ(%f) = %f', (x, p) => {
    expect(normalCdf(x)).toBeCloseTo(p, 6);
  });

  it('keeps relative precision in the far tail', () => {
    expect(normalCdf(-8) / 6.22096e-16).toBeCloseTo(1, 5);
    expect(normalQuantile(normalCdf(-8))).toBeCloseTo(-8, 8);
  });

  it('zFor gives the one- and two-sided critical values', () => {
    expect(zFor(0.95, 1)).toBeCloseTo(1.644854, 6);
    expect(zFor(0.95, 2)).toBeCloseTo(1.959964, 6);
    expect(() => zFor(1, 1)).toThrow(RangeError);
  });
});

describe('binomial tails', () => {
  // Exact rationals: C(8, k) / 2^8.
  it('sums exact probabilities', () => {
    expect(binomialPmf(1, 8, 0.5)).toBeCloseTo(8 / 256, 15);
    expect(binomialLowerTail(1, 8, 0.5)).toBeCloseTo(9 / 256, 15);
    expect(binomialUpperTail(7, 8, 0.5)).toBeCloseTo(9 / 256, 15);
    expect(binomialUpperTail(0, 8, 0.5)).toBe(1);
    expect(binomialLowerTail(8, 8, 0.5)).toBe(1);
  });

  // p != 1/2, by hand: P(X <= 2 | n = 10, p = 0.3) = 0.7^10 + 10·0.3·0.7^9 + 45·0.09·0.7^8 = 0.3827827864.
  it('handles p other than one half', () => {
    expect(binomialLowerTail(2, 10, 0.3)).toBeCloseTo(0.3827827864, 10);
    expect(binomialPmf(0, 5, 0)).toBe(1);
    expect(binomialPmf(5, 5, 1)).toBe(1);
  });

  it('keeps tiny tails instead of rounding them to 0 via 1 - (1 - p)', () => {
    // P(X >= 60 | n = 60, p = 1/2) = 2^-60.
    expect(binomialUpperTail(60, 60, 0.5) / 2 ** -60).toBeCloseTo(1, 10);
  });

  it('survives sizes where 0.5^n underflows term by term', () => {
    expect(binomialLowerTail(1000, 2000, 0.5)).toBeCloseTo(0.5 + binomialPmf(1000, 2000, 0.5) / 2, 10);
  });
});

describe('binomial tails at scale', () => {
  it('agree with the complement on both sides of the mode', () => {
    for (const [n, p] of [[30, 0.5], [200, 0.2], [57, 0.9]] as const) {
      for (let k = 0; k <= n; k += 7) {
        expect(binomialLowerTail(k, n, p) + binomialUpperTail(k + 1, n, p)).toBeCloseTo(1, 12);
      }
    }
  });

  it('cost only the terms that matter for a million trials', () => {
    // P(X >= 501000 | n = 10^6, p = 1/2) ≈ 1 - Φ(999.5 / 500) = 0.0228 (normal, continuity-corrected).
    expect(binomialUpperTail(501_000, 1_000_000, 0.5)).toBeCloseTo(0.0228, 4);
    expect(binomialUpperTail(1_000_000, 1_000_000, 0.5)).toBe(0); // 2^-1000000 underflows, honestly
  });
});
