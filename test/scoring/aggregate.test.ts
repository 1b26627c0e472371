import { describe, expect, it } from 'vitest';
import { casePassRate, caseVerdict, percentile, suiteVerdict, suiteVerdictDetail, type SuiteTally } from '../../src/core/scoring/aggregate.js';
import type { SampleVerdict } from '../../src/core/schemas/run.js';

const v = (s: string): SampleVerdict[] => s.split('').map((c) => (c === 'p' ? 'pass' : c === 'f' ? 'fail' : 'error'));

describe('casePassRate', () => {
  it.each([
    ['ppp', 1],
    ['ppf', 2 / 3],
    ['pe', 1], // scored samples only, as CaseOutcome.passRate documents
    ['fe', 0],
    ['ee', 0],
    ['', 0],
  ])('%s → %d', (s, rate) => expect(casePassRate(v(s))).toBeCloseTo(rate));
});

describe('caseVerdict', () => {
  it.each([
    ['ppp', 1, 'pass'],
    ['ppf', 1, 'fail'],
    ['ppf', 0.6, 'pass'],
    ['pe', 1, 'error'], // the error decides: not a pass, not a fail
    ['fe', 1, 'fail'], // fails even if the error had passed
    ['ppe', 0.6, 'pass'], // passes even counting the error as a non-pass
    ['eee', 0, 'error'],
    ['', 1, 'not-run'],
  ] as const)('%s at %d → %s', (s, min, verdict) => expect(caseVerdict(v(s), min)).toBe(verdict));
});

describe('percentile (nearest rank)', () => {
  const xs = [15, 20, 35, 40, 50];
  it.each([
    [0, 15],
    [5, 15],
    [30, 20],
    [40, 20],
    [50, 35],
    [95, 50],
    [100, 50],
  ])('p%d → %d', (p, want) => expect(percentile(xs, p)).toBe(want));
  it('does not sort in place and handles empty input', () => {
    const unsorted = [3, 1, 2];
    expect(percentile(unsorted, 50)).toBe(2);
    expect(unsorted).toEqual([3, 1, 2]);
    expect(percentile([], 95)).toBe(0);
  });
});

describe('suiteVerdict', () => {
  const base: SuiteTally = { passed: 10, failed: 0, errored: 0, notRun: 0, threshold: 1, maxErrorRate: 0.05, samples: 30, errorSamples: 0 };
  it.each<[string, Partial<SuiteTally>, 'passed' | 'failed' | 'incomplete', RegExp]>([
    ['all passed', {}, 'passed', /10\/10 cases passed/],
    ['one failure at threshold 1', { passed: 9, failed: 1 }, 'failed', /9\/10/],
    ['one failure at threshold 0.9', { passed: 9, failed: 1, threshold: 0.9 }, 'passed', /90%/],
    ['float noise at the threshold', { passed: 199, failed: 1, threshold: 0.995 }, 'passed', /199\/200/],
    ['not-run cases', { passed: 9, notRun: 1 }, 'incomplete', /1 of 10 cases did not run/],
    ['too many error samples', { errorSamples: 2 }, 'incomplete', /6\.7% of samples ended in errors \(at most 5% allowed\)/],
    ['error samples within tolerance', { errorSamples: 1 }, 'passed', /10\/10/],
    ['an errored case that decides the outcome', { passed: 9, errored: 1, errorSamples: 1 }, 'incomplete', /errored cases decide/],
    ['fails when it would fail even had the errored case passed', { passed: 8, failed: 1, errored: 1, errorSamples: 1, threshold: 0.9 + 0.05 }, 'failed', /8\/10/],
    ['no cases at all', { passed: 0, samples: 0 }, 'incomplete', /no cases/],
  ])('%s', (_label, over, verdict, why) => {
    const t = { ...base, ...over };
    expect(suiteVerdict(t)).toBe(verdict);
    expect(suiteVerdictDetail(t).why).toMatch(why);
  });
});
