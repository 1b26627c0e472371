import { describe, expect, it } from 'vitest';
import { noiseEstimate, planPower, plannedDrop } from '../../src/core/power-plan.js';
import { casesForPower } from '../../src/core/stats/power.js';

const paired = (env: string, maxDrop = 0.05) => ({ env, maxDrop, confidence: 0.95, method: 'paired' as const });

describe('noiseEstimate', () => {
  it.each([
    ['temperature 0, one sample per case: deterministic', undefined, 0.9, 0, { discordance: 0, basis: 'deterministic' }],
    ['temperature > 0, one sample per case: the 2p(1-p) bound', [{ passes: 1, samples: 1, minPassRate: 1 }], 0.9, 0.7, { discordance: 2 * 0.9 * 0.1, basis: 'binomial-bound' }],
    ['repeats, every case stable: no noise', [{ passes: 3, samples: 3, minPassRate: 1 }, { passes: 0, samples: 3, minPassRate: 1 }], 0.5, 0.7, { discordance: 0, basis: 'repeats' }],
  ] as const)('%s', (_name, cases, p, t, want) => {
    const got = noiseEstimate(cases, p, t);
    expect(got.basis).toBe(want.basis);
    expect(got.discordance).toBeCloseTo(want.discordance, 12);
  });

  it('with repeats, a case passes again when a fresh set of samples reaches its min_pass_rate', () => {
    // 1 of 2 samples passing, min_pass_rate 0.5: passes again with 1 - 0.5² = 0.75; discordance 2·0.75·0.25.
    expect(noiseEstimate([{ passes: 1, samples: 2, minPassRate: 0.5 }], 0.5, 1).discordance).toBeCloseTo(0.375, 12);
    // min_pass_rate 1: both samples must pass, 0.25; discordance 2·0.25·0.75, the same by symmetry.
    expect(noiseEstimate([{ passes: 1, samples: 2, minPassRate: 1 }], 0.5, 1).discordance).toBeCloseTo(0.375, 12);
  });
});

describe('planPower', () => {
  it('plans for twice the limit with core/stats, and says what the suite catches now', () => {
    const [row] = planPower({ cases: 500, passRate: 0.85, discordance: 0.095, policies: [paired('production')] });
    expect(row!.trueDrop).toBeCloseTo(0.1, 12);
    expect(row!.casesNeeded).toBe(casesForPower({ baselinePassRate: 0.85, maxDrop: 0.05, noiseDiscordance: 0.095 }));
    expect(row!.powerNow).toBeGreaterThan(0.8);
    expect(row!.detectableDrop).toBeGreaterThan(0.05);
    expect(row!.detectableDrop).toBeLessThan(0.1);
  });

  it('with several suites, a regression in one alone is planned at the level Holm tests it at', () => {
    const one = planPower({ cases: 500, passRate: 0.85, discordance: 0.095, policies: [paired('p')] })[0]!;
    const three = planPower({ cases: 500, passRate: 0.85, discordance: 0.095, familySize: 3, policies: [paired('p')] })[0]!;
    expect(one.testedAt).toBeCloseTo(0.95, 12);
    expect(three.testedAt).toBeCloseTo(1 - 0.05 / 3, 12);
    expect(three.casesNeeded).toBe(casesForPower({ baselinePassRate: 0.85, maxDrop: 0.05, noiseDiscordance: 0.095, confidence: 1 - 0.05 / 3 }));
    expect(three.casesNeeded!).toBeGreaterThan(one.casesNeeded!);
    expect(three.powerNow!).toBeLessThan(one.powerNow!);
  });

  it('a limit of 0 plans for a 5-point drop; the point rule and an empty baseline are said, not computed', () => {
    expect(plannedDrop(0)).toBe(0.05);
    const rows = planPower({ cases: 40, passRate: 0.02, discordance: 0, policies: [paired('a'), { ...paired('b'), method: 'point' }] });
    expect(rows[0]).toMatchObject({ env: 'a', note: 'pass-rate-too-low' });
    expect(rows[0]!.casesNeeded).toBeUndefined();
    expect(rows[1]).toMatchObject({ env: 'b', note: 'point-rule' });
  });

  it('one sample per case: the exact McNemar test the check adds rejects nothing below 0.5^n, so a 4-case suite catches no drop', () => {
    // 4 of 4 cases worse gives p = 1/16 = 0.0625, above 0.05: no regression verdict is possible.
    const [four] = planPower({ cases: 4, passRate: 1, discordance: 0, policies: [paired('production')] });
    expect(four!.powerNow).toBe(0);
    expect(four!.detectableDrop).toBeUndefined();
    expect(four!.casesNeeded).toBeGreaterThanOrEqual(5);
    // 5 cases can (1/32 < 0.05), but not at Holm's 1 - 0.05/3 for a version judged on 3 suites (1/32 > 0.0167): 6 can.
    expect(planPower({ cases: 5, passRate: 1, discordance: 0, policies: [paired('production')] })[0]!.detectableDrop).toBeGreaterThan(0.5);
    expect(planPower({ cases: 5, passRate: 1, discordance: 0, familySize: 3, policies: [paired('production')] })[0]!.detectableDrop).toBeUndefined();
    expect(planPower({ cases: 6, passRate: 1, discordance: 0, familySize: 3, policies: [paired('production')] })[0]!.detectableDrop).toBeGreaterThan(0.5);
  });

});
