import { describe, expect, it } from 'vitest';
import { summarizeRun, type CaseSpec } from '../../src/core/eval/aggregate.js';
import { incompleteWhy } from '../../src/core/eval/incomplete-why.js';
import type { RunSummary, SampleResult } from '../../src/core/schemas/run.js';

/**
 * Why a run is incomplete, from the one rule that judged it (suiteVerdictDetail), with the numbers
 * that decide it: its pass rate beside the threshold alone (80% of a needed 50%) reads as a pass.
 * Summaries recorded before they kept their errored samples say it from their counts.
 */

function sample(caseId: string, verdict: SampleResult['verdict'], n = 0): SampleResult {
  return { runId: 'r', caseId, sample: n, verdict, output: 'o', reasons: [], latencyMs: 10, tokensIn: 1, tokensOut: 1, cached: false };
}

const cases = (n: number, repeat = 1): CaseSpec[] => Array.from({ length: n }, (_, i) => ({ id: `c${i}`, repeat, minPassRate: 1 }));

/** A run of `n` one-sample cases: the first `passing` pass, the next `failing` fail, the rest error. */
function summaryOf(n: number, passing: number, failing: number, threshold: number, maxErrorRate = 0.05): RunSummary {
  const samples = cases(n).map((c, i) => sample(c.id, i < passing ? 'pass' : i < passing + failing ? 'fail' : 'error'));
  return summarizeRun({ cases: cases(n), samples, threshold, maxErrorRate, adversarial: false }).summary;
}

describe('incompleteWhy', () => {
  it.each([
    ['the error rate is over max_error_rate', summaryOf(20, 16, 0, 0.5), 0.5, '20% of samples ended in errors (at most 5% allowed)'],
    ['the errored cases decide against the threshold', summaryOf(20, 14, 4, 0.8, 0.5), 0.8, '14/20 cases passed (70%; threshold 80%); the 2 errored cases decide the outcome'],
    ['every sample errored', summaryOf(4, 0, 0, 0.75), 0.75, '100% of samples ended in errors (at most 5% allowed)'],
  ])('%s', (_, summary, threshold, why) => {
    expect(summary.verdict).toBe('incomplete');
    expect(incompleteWhy(summary, threshold)).toBe(why);
  });

  it('cases not run', () => {
    const summary = summarizeRun({ cases: cases(20), samples: [sample('c0', 'pass')], threshold: 0.5, maxErrorRate: 0.05, adversarial: false }).summary;
    expect(incompleteWhy(summary, 0.5)).toBe('19 of 20 cases did not run');
  });

  it('a passed or a failed run has none, and its summary is as it was (no `errors`)', () => {
    const passed = summaryOf(20, 20, 0, 0.5);
    const failed = summaryOf(20, 5, 15, 0.5);
    expect([passed.verdict, failed.verdict]).toEqual(['passed', 'failed']);
    expect([incompleteWhy(passed, 0.5), incompleteWhy(failed, 0.5)]).toEqual([null, null]);
    expect('errors' in passed || 'errors' in failed).toBe(false);
    expect(summaryOf(20, 16, 0, 0.5).errors).toEqual({ samples: 4, maxRate: 0.05 });
  });

  it.each([
    ['errored cases', { errored: 4 }, 'server errors decided it: 4 of 20 cases errored'],
    ['cases not run', { notRun: 3 }, '3 of 20 cases did not run'],
    ['errors spread over samples, no case errored', {}, 'too many samples ended in server errors (more than max_error_rate allows)'],
  ])('a summary recorded before it kept its errored samples: %s', (_, counts, why) => {
    const { errors: _e, ...older } = summaryOf(20, 16, 0, 0.5);
    expect(incompleteWhy({ ...older, errored: 0, notRun: 0, ...counts }, 0.5)).toBe(why);
  });
});
