import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../../../src/core/stats/normal.js';
import { casesForPower, detectableDrop, expectedDiscordance, regressionPower } from '../../../src/core/stats/power.js';
import { pairedRegressionVerdict } from '../../../src/core/stats/regression-verdict.js';
import { drawPairs, seededRandom } from './support.js';

describe('cases needed for 80% power', () => {
  // At a zero limit the score test is McNemar's, and the size is Connor's formula (Connor RJ (1987),
  // "Sample size for testing differences in proportions for the paired-sample design", Biometrics
  // 43:207-211): n = ((z_α·√ψ + z_β·√(ψ - Δ²)) / Δ)², ψ the discordant share and Δ the drop.
  it('reduces to Connor\'s McNemar formula at a zero limit', () => {
    const psi = 0.15;
    const drop = 0.05;
    const connor = ((normalQuantile(0.95) * Math.sqrt(psi) + normalQuantile(0.8) * Math.sqrt(psi - drop * drop)) / drop) ** 2;
    expect(connor).toBeCloseTo(368.9, 1);
    expect(casesForPower({ baselinePassRate: 0.85, maxDrop: 0, noiseDiscordance: 0.1, trueDrop: 0.05 })).toBe(Math.ceil(connor));
  });

  it('defaults to catching twice the limit, and needs more cases for noisier suites and tighter limits', () => {
    const base = { baselinePassRate: 0.85, maxDrop: 0.05, noiseDiscordance: 0.095 };
    const n = casesForPower(base);
    expect(n).toBe(casesForPower({ ...base, trueDrop: 0.1 }));
    expect(casesForPower({ ...base, noiseDiscordance: 0.2 })).toBeGreaterThan(n);
    expect(casesForPower({ ...base, trueDrop: 0.2 })).toBeLessThan(n);
    expect(casesForPower({ ...base, power: 0.9 })).toBeGreaterThan(n);
    expect(regressionPower(n, base)).toBeGreaterThanOrEqual(0.8);
    expect(regressionPower(n - 1, base)).toBeLessThan(0.8);
  });

  it('the suite it names really catches the drop about 80% of the time (seeded simulation)', () => {
    const a = { baselinePassRate: 0.85, maxDrop: 0.05, noiseDiscordance: 0.095 };
    const n = casesForPower(a);
    const random = seededRandom(11);
    const trials = 1000;
    let caught = 0;
    for (let t = 0; t < trials; t++) {
      if (pairedRegressionVerdict(drawPairs(random, n, 0.0475 + 0.1, 0.0475), a).outcome === 'regression') caught++;
    }
    expect(caught / trials).toBeGreaterThan(0.75);
    expect(caught / trials).toBeLessThan(0.86);
  });

  it('refuses assumptions a suite cannot have', () => {
    expect(() => casesForPower({ baselinePassRate: 0.85, maxDrop: 0.05, noiseDiscordance: 0.1, trueDrop: 0.05 })).toThrow(/must exceed/);
    // 15% failing cases cannot supply 20% of cases that get better.
    expect(() => casesForPower({ baselinePassRate: 0.85, maxDrop: 0.05, noiseDiscordance: 0.4 })).toThrow(RangeError);
    expect(() => casesForPower({ baselinePassRate: 0.05, maxDrop: 0.05, noiseDiscordance: 0 })).toThrow(RangeError);
  });
});

describe('the smallest drop a suite detects', () => {
  const a = { baselinePassRate: 0.85, maxDrop: 0.05, noiseDiscordance: 0.095 };
  it('is the inverse of casesForPower', () => {
    const n = casesForPower(a);
    const drop = detectableDrop(n, a)!;
    expect(drop).toBeLessThanOrEqual(0.1 + 1e-9);
    expect(drop).toBeGreaterThan(0.095);
    expect(regressionPower(n, { ...a, trueDrop: drop })).toBeCloseTo(0.8, 6);
  });

  it('is undefined below the exact test\'s 0.5^n floor, whatever the repeat count: the check always pairs case verdicts with it', () => {
    const sure = { baselinePassRate: 1, maxDrop: 0.05, noiseDiscordance: 0 };
    expect(regressionPower(4, { ...sure, trueDrop: 1 })).toBe(0);
    expect(detectableDrop(4, sure)).toBeUndefined();
    expect(casesForPower(sure)).toBeGreaterThanOrEqual(5);
    expect(detectableDrop(5, sure)).toBeGreaterThan(0.5);
  });

  it('shrinks toward the limit as cases grow, and is undefined when nothing can be caught', () => {
    expect(detectableDrop(100, a)!).toBeGreaterThan(detectableDrop(1000, a)!);
    expect(detectableDrop(100_000, a)!).toBeLessThan(0.06);
    expect(detectableDrop(2, a)).toBeUndefined();
  });
});

describe('expected discordance from per-case pass shares', () => {
  it('is 2·r·(1 - r) averaged over cases: 0 for deterministic cases', () => {
    expect(expectedDiscordance([1, 1, 0, 1])).toBe(0);
    expect(expectedDiscordance([0.5, 1])).toBeCloseTo(0.25, 12);
    expect(expectedDiscordance([])).toBe(0);
  });
});

describe('exact power without noise (temperature 0): the binomial tail at the fewest worse cases the check refuses', () => {
  // Computed independently (scipy: binom.sf(w - 1, n, 0.1) at the smallest w the check refuses) by
  // the statistics audit; the approximation had said 18%, 23%, 30%, 36.6% and 41%.
  const a = { baselinePassRate: 1, maxDrop: 0.05, noiseDiscordance: 0, trueDrop: 0.1 };
  it.each([
    [5, 0.00001],
    [10, 0.0016],
    [20, 0.043],
    [30, 0.175],
    [40, 0.371],
  ])('%i cases catch a 10-point drop against a 5-point limit with chance %f', (cases, chance) => {
    expect(regressionPower(cases, a)).toBeCloseTo(chance, chance < 0.01 ? 4 : 3);
  });

  it('plans the cases that reach 80% exactly: at a limit of 0, 134 for a 5-point drop (the approximation said 122, which reach 73.5%)', () => {
    const zero = { baselinePassRate: 1, maxDrop: 0, noiseDiscordance: 0, trueDrop: 0.05 };
    expect(casesForPower(zero)).toBe(134);
    expect(regressionPower(133, zero)).toBeLessThan(0.8);
    expect(regressionPower(122, zero)).toBeCloseTo(0.735, 3);
  });

  it('the smallest drop a 20-case suite catches 80% of the time is the exact one (31.3 points, not 34.4)', () => {
    // scipy: brentq(lambda d: binom.sf(4, 20, d) - 0.8) = 0.3133; 5 of 20 worse is the fewest refused.
    expect(detectableDrop(20, { baselinePassRate: 1, maxDrop: 0.05, noiseDiscordance: 0 })).toBeCloseTo(0.3133, 4);
  });
});
