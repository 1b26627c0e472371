import { describe, expect, it } from 'vitest';
import {
  attackIntervals,
  casePassRateInterval,
  RATE_CONFIDENCE,
  runIntervals,
  samplePassRateInterval,
  suitePassRateInterval,
  withIntervals,
} from '../../src/core/eval/intervals.js';
import type { CaseOutcome, RunOutcome } from '../../src/core/schemas/report.js';
import type { SampleVerdict } from '../../src/core/schemas/run.js';
import { clusteredRateInterval, wilsonInterval } from '../../src/core/stats/index.js';
import { adversarialRun, fixtureReport, sample } from '../render/fixtures.js';

/** A case whose samples ended as `verdicts` (in order). */
function caseWith(caseId: string, verdicts: SampleVerdict[], verdict: CaseOutcome['verdict'] = 'pass'): CaseOutcome {
  const samples = verdicts.map((v, i) => sample({ caseId, sample: i, verdict: v }));
  const scored = verdicts.filter((v) => v !== 'error').length;
  return { caseId, verdict, passRate: scored ? verdicts.filter((v) => v === 'pass').length / scored : 0, minPassRate: 0.5, samples };
}

describe('suite pass rate interval: Wilson over the cases', () => {
  // Newcombe (1998) Table II, method 3, for the first rows; then the edges.
  it.each([
    { passed: 81, cases: 263, lower: 0.2553, upper: 0.3662 },
    { passed: 15, cases: 148, lower: 0.0624, upper: 0.1605 },
    { passed: 0, cases: 20, lower: 0, upper: 0.1611 },
    { passed: 20, cases: 20, lower: 0.8389, upper: 1 },
    { passed: 9, cases: 10, lower: 0.5958, upper: 0.9821 },
  ])('$passed of $cases cases is [$lower, $upper]', ({ passed, cases, lower, upper }) => {
    const ci = suitePassRateInterval({ passRate: passed / cases, cases });
    expect(ci).toMatchObject({ method: 'wilson', over: 'cases', trials: cases, confidence: RATE_CONFIDENCE });
    expect(ci.estimate).toBeCloseTo(passed / cases, 12);
    expect(ci.lower).toBeCloseTo(lower, 4);
    expect(ci.upper).toBeCloseTo(upper, 4);
  });

  it('is all of [0, 1] with no cases, resting on no trials', () => {
    expect(suitePassRateInterval({ passRate: 0, cases: 0 })).toMatchObject({ estimate: 0, lower: 0, upper: 1, trials: 0 });
  });

  it('always holds the rate it is the interval of', () => {
    for (let n = 1; n <= 40; n++) {
      for (let k = 0; k <= n; k++) {
        const ci = suitePassRateInterval({ passRate: k / n, cases: n });
        expect(ci.lower).toBeLessThanOrEqual(k / n);
        expect(ci.upper).toBeGreaterThanOrEqual(k / n);
      }
    }
  });
});

describe('case pass rate interval: Wilson over the scored samples', () => {
  it.each([
    { verdicts: ['pass', 'pass', 'fail'] as SampleVerdict[], k: 2, n: 3 },
    { verdicts: ['pass', 'fail', 'error'] as SampleVerdict[], k: 1, n: 2 },
    { verdicts: ['fail'] as SampleVerdict[], k: 0, n: 1 },
    { verdicts: ['pass', 'pass', 'pass', 'pass', 'pass'] as SampleVerdict[], k: 5, n: 5 },
  ])('$verdicts is Wilson($k, $n)', ({ verdicts, k, n }) => {
    const ci = casePassRateInterval(caseWith('c', verdicts));
    const wilson = wilsonInterval(k, n);
    expect(ci).toMatchObject({ method: 'wilson', over: 'samples', trials: n });
    expect(ci.lower).toBeCloseTo(wilson.lower, 12);
    expect(ci.upper).toBeCloseTo(wilson.upper, 12);
  });

  it('rests on nothing when every sample errored', () => {
    expect(casePassRateInterval(caseWith('c', ['error', 'error'], 'error'))).toMatchObject({ trials: 0, lower: 0, upper: 1 });
  });
});

describe('sample pass rate interval: clustered over case × repeat', () => {
  it('is absent when no case has more than one scored sample (repeat 1)', () => {
    expect(samplePassRateInterval([caseWith('a', ['pass']), caseWith('b', ['fail']), caseWith('c', ['pass', 'error'])])).toBeNull();
  });

  it('is the cluster-robust interval of core/stats with repeats, errors left out', () => {
    const cases = [caseWith('a', ['pass', 'pass', 'pass']), caseWith('b', ['fail', 'fail', 'pass']), caseWith('c', ['pass', 'error', 'pass']), caseWith('d', ['fail', 'fail', 'fail'])];
    const ci = samplePassRateInterval(cases)!;
    const expected = clusteredRateInterval([
      { passes: 3, samples: 3 },
      { passes: 1, samples: 3 },
      { passes: 2, samples: 2 },
      { passes: 0, samples: 3 },
    ]);
    expect(ci).toMatchObject({ method: 'clustered', over: 'samples', estimate: expected.estimate, lower: expected.lower, upper: expected.upper, trials: expected.effectiveTrials });
    // Hard cases fail again and again: far fewer independent trials than samples.
    expect(ci.trials).toBeLessThan(11);
  });
});

describe('attack success intervals: Wilson over the attacks', () => {
  it('per category and overall', () => {
    const out = attackIntervals({
      categories: [
        { category: 'a', attacks: 10, succeeded: 1, successRate: 0.1 },
        { category: 'b', attacks: 0, succeeded: 0, successRate: 0 },
      ],
      attacks: 10,
      attacksSucceeded: 1,
    });
    const w = wilsonInterval(1, 10);
    expect(out.categories?.[0]).toMatchObject({ category: 'a', successRate: { over: 'attacks', trials: 10 } });
    expect(out.categories?.[0]?.successRate.lower).toBeCloseTo(w.lower, 12);
    expect(out.categories?.[1]?.successRate).toMatchObject({ lower: 0, upper: 1, trials: 0 });
    expect(out.attackSuccessRate?.upper).toBeCloseTo(w.upper, 12);
  });

  it('has no overall interval for summaries recorded before the overall counts', () => {
    expect(attackIntervals({ categories: [] })).toEqual({ categories: [] });
  });
});

describe('runIntervals and withIntervals', () => {
  it('takes the suite rate from the summary, and the sample rate only when every case is there', () => {
    const golden = fixtureReport().runs[0]!;
    const all = runIntervals(golden);
    expect(all.passRate).toMatchObject({ estimate: 0.5, trials: 5 });
    expect(all.attackSuccessRate).toBeUndefined();
    // The fixture's flaky case ran several samples; a report without its passing cases gives no sample rate.
    expect(all.samplePassRate?.method).toBe('clustered');
    expect(runIntervals({ ...golden, cases: golden.cases.filter((c) => c.verdict !== 'pass') }).samplePassRate).toBeUndefined();
  });

  it('counts the cases of a run without a summary, as the renderers do', () => {
    const golden = fixtureReport().runs[0]!;
    const bare: RunOutcome = { ...golden, run: { ...golden.run, summary: undefined } };
    expect(runIntervals(bare).passRate).toMatchObject({ estimate: 2 / 5, trials: 5 });
  });

  it('gives adversarial runs their attack intervals', () => {
    const adv = runIntervals(adversarialRun());
    expect(adv.attackSuccessRate).toMatchObject({ estimate: 0.25, trials: 4 });
    expect(adv.categories?.map((c) => c.category)).toEqual(['instruction-override', 'pii-exfiltration', 'system-prompt-extraction']);
  });

  it('adds fields to the outcome and its cases, changing none and leaving the input as it was', () => {
    const golden = fixtureReport().runs[0]!;
    const before = structuredClone(golden);
    const out = withIntervals(golden);
    expect(golden).toEqual(before);
    expect(out.run).toBe(golden.run);
    expect(out.intervals).toEqual(runIntervals(golden));
    out.cases.forEach((c, i) => {
      const { passRateInterval, ...rest } = c;
      expect(rest).toEqual(golden.cases[i]);
      expect(passRateInterval).toEqual(casePassRateInterval(golden.cases[i]!));
    });
  });
});
