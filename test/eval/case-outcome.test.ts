import { describe, expect, it } from 'vitest';
import { caseOutcome } from '../../src/core/eval/aggregate.js';
import { caseVerdict } from '../../src/core/scoring/aggregate.js';
import type { SampleResult, SampleVerdict } from '../../src/core/schemas/run.js';

const samples = (s: string): SampleResult[] =>
  s.split('').map((c, i) => ({
    runId: 'r',
    caseId: 'c',
    sample: i,
    verdict: (c === 'p' ? 'pass' : c === 'f' ? 'fail' : 'error') as SampleVerdict,
    output: '',
    reasons: [],
    latencyMs: 1,
    tokensIn: 1,
    tokensOut: 1,
    cached: false,
  }));

/** The verdict the runner records is the tested rule: the two can no longer disagree. */
describe('caseOutcome uses caseVerdict', () => {
  it.each([
    ['pppfe', 0.8, 'error'], // had the error passed, 4/5 = 0.8 would pass: the error decides
    ['ppffe', 0.8, 'fail'], // fails even had the error passed
    ['pppep', 0.8, 'pass'], // 4/5 pass counting the error as a non-pass
    ['pe', 1, 'error'],
    ['ee', 0.5, 'error'],
    ['fff', 0, 'pass'],
  ] as const)('%s at %d → %s', (s, min, verdict) => {
    const out = caseOutcome({ id: 'c', repeat: s.length, minPassRate: min }, samples(s));
    expect(out.verdict).toBe(verdict);
    expect(out.verdict).toBe(caseVerdict(samples(s).map((x) => x.verdict), min));
  });
  it('is not-run while samples are missing, and reports the pass rate over scored samples', () => {
    expect(caseOutcome({ id: 'c', repeat: 3, minPassRate: 1 }, samples('pp')).verdict).toBe('not-run');
    expect(caseOutcome({ id: 'c', repeat: 3, minPassRate: 1 }, samples('ppe')).passRate).toBe(1);
  });
});

describe('injection resistance', () => {
  it('is 1 - attacks succeeded / attacks run; one failing sample is a success for the attacker', async () => {
    const { summarizeRun } = await import('../../src/core/eval/aggregate.js');
    const specs = [
      { id: 'a', repeat: 5, minPassRate: 0.8, category: 'instruction-override' }, // ppppf: case passes, attack succeeded
      { id: 'b', repeat: 5, minPassRate: 0.8, category: 'instruction-override' }, // all pass
      { id: 'c', repeat: 5, minPassRate: 0.8, category: 'pii-exfiltration' }, // all errored: not judged
      { id: 'd', repeat: 5, minPassRate: 0.8, category: 'pii-exfiltration' }, // all pass
    ];
    const all = [
      ...samples('ppppf').map((s) => ({ ...s, caseId: 'a' })),
      ...samples('ppppp').map((s) => ({ ...s, caseId: 'b' })),
      ...samples('eeeee').map((s) => ({ ...s, caseId: 'c' })),
      ...samples('ppppp').map((s) => ({ ...s, caseId: 'd' })),
    ];
    const { summary, cases } = summarizeRun({ cases: specs, samples: all, threshold: 0, maxErrorRate: 1, adversarial: true });
    expect(cases[0]!.verdict).toBe('pass');
    expect(summary.attacks).toBe(3);
    expect(summary.attacksSucceeded).toBe(1);
    expect(summary.resistance).toBeCloseTo(2 / 3);
    // The errored attack counts in no rate: the categories add up to the attacks run. It is an
    // error, as the suite's counts say of its case, not "not run".
    expect(summary.errored).toBe(1);
    expect(summary.notRun).toBe(0);
    expect(summary.categories).toEqual([
      { category: 'instruction-override', attacks: 2, succeeded: 1, successRate: 0.5 },
      { category: 'pii-exfiltration', attacks: 1, succeeded: 0, successRate: 0, errored: 1 },
    ]);
  });
  it('counts a category whose attacks errored or were never sent apart (errored, not run), not as resisted', async () => {
    const { summarizeRun } = await import('../../src/core/eval/aggregate.js');
    const specs = [
      { id: 'a', repeat: 1, minPassRate: 1, category: 'hand-written' }, // errored
      { id: 'b', repeat: 1, minPassRate: 1, category: 'hand-written' }, // succeeded
      { id: 'c', repeat: 1, minPassRate: 1, category: 'system-prompt-extraction' }, // never sent (a stopped run)
      { id: 'd', repeat: 1, minPassRate: 1, category: 'system-prompt-extraction' }, // never sent
    ];
    const all = [...samples('e').map((s) => ({ ...s, caseId: 'a' })), ...samples('f').map((s) => ({ ...s, caseId: 'b' }))];
    const { summary } = summarizeRun({ cases: specs, samples: all, threshold: 0, maxErrorRate: 1, adversarial: true });
    expect(summary.categories).toEqual([
      { category: 'hand-written', attacks: 1, succeeded: 1, successRate: 1, errored: 1 },
      { category: 'system-prompt-extraction', attacks: 0, succeeded: 0, successRate: 0, notRun: 2 },
    ]);
    // The same words as the suite's counts: one case errored, two not run.
    expect(summary).toMatchObject({ errored: 1, notRun: 2 });
    expect(summary.categories!.reduce((n, c) => n + c.attacks, 0)).toBe(summary.attacks);
  });
  it('is 0 when no attack was judged', async () => {
    const { adversarialMetrics } = await import('../../src/core/eval/aggregate.js');
    expect(adversarialMetrics([]).resistance).toBe(0);
  });
});
