import { describe, expect, it } from 'vitest';
import type { CaseOutcome } from '../../src/core/schemas/report.js';
import { wilsonFromRate } from '../../src/core/stats/index.js';
import { sideOf } from '../../src/render/html/model.js';
import { toMarkdownSummary } from '../../src/render/markdown.js';
import { fixtureReport, goldenRun, sample } from './fixtures.js';

/**
 * A case's pass rate as the HTML report and the Markdown failure rows show it is passing of all
 * samples (an errored sample is not a pass); the 95% interval beside it is over the same samples,
 * so the shown rate always lies inside it. Before, the interval was over the answered samples only:
 * 3 passed and 7 errored read "pass rate 30% … 95% CI 43.9–100%".
 */

function caseWith(passed: number, failed: number, errored: number, minPassRate = 0.8): CaseOutcome {
  const verdicts = [...Array(passed).fill('pass'), ...Array(failed).fill('fail'), ...Array(errored).fill('error')] as Array<'pass' | 'fail' | 'error'>;
  const samples = verdicts.map((verdict, i) => sample({ caseId: 'refund', sample: i, verdict, ...(verdict === 'error' ? { output: '', error: 'timeout after 30000ms' } : {}) }));
  const scored = passed + failed;
  const rate = passed / samples.length;
  return { caseId: 'refund', verdict: errored && scored === 0 ? 'error' : rate >= minPassRate ? 'pass' : 'fail', passRate: scored ? passed / scored : 0, minPassRate, samples };
}

/** `10.7–60.4%` as [10.8, 60.3]. */
function bounds(text: string): [number, number] {
  const m = /^(\d+\.\d)–(\d+\.\d)%$/.exec(text);
  expect(m, text).not.toBeNull();
  return [Number(m![1]), Number(m![2])];
}

describe('a case pass rate and its 95% interval, in the HTML report', () => {
  it.each([
    // passed, failed, errored
    [3, 0, 7],
    [0, 0, 10],
    [0, 10, 0],
    [10, 0, 0],
    [9, 0, 1],
    [1, 0, 1],
    [0, 1, 1],
    [5, 3, 2],
    [1, 1, 0],
  ])('%i passed, %i failed, %i errored: the interval is over all samples and holds the rate shown', (passed, failed, errored) => {
    const c = caseWith(passed, failed, errored);
    const side = sideOf(c);
    const n = passed + failed + errored;
    expect(side.passRate).toBe(passed / n);
    const [lower, upper] = bounds(side.passRateCi!);
    expect(lower).toBeLessThanOrEqual((100 * passed) / n);
    expect(upper).toBeGreaterThanOrEqual((100 * passed) / n);
    const w = wilsonFromRate(passed / n, n, 0.95);
    expect(lower).toBe(Math.floor(w.lower * 1000 + 1e-9) / 10);
    expect(upper).toBe(Math.ceil(w.upper * 1000 - 1e-9) / 10);
  });

  it('the reviewer\'s case: 3 passed, 7 errored reads 30% beside 10.7–60.4%, not 43.9–100%', () => {
    expect(sideOf(caseWith(3, 0, 7)).passRateCi).toBe('10.7–60.4%');
  });

  it('a case with one sample shows no interval, as before', () => {
    expect(sideOf(caseWith(1, 0, 0)).passRateCi).toBeUndefined();
    expect(sideOf(caseWith(0, 0, 1)).passRateCi).toBeUndefined();
  });
});

describe('a failing case in the Markdown summary', () => {
  it.each([
    [3, 0, 7, '3/10 (95% CI 10.7–60.4%)'],
    [0, 0, 10, '0/10 (95% CI 0.0–27.8%)'],
    [5, 3, 2, '5/10 (95% CI 23.6–76.4%)'],
  ])('%i passed, %i failed, %i errored: passed of all samples beside its interval over them', (passed, failed, errored, shown) => {
    const run = goldenRun();
    run.cases = [caseWith(passed, failed, errored)];
    const md = toMarkdownSummary({ ...fixtureReport(), runs: [run] });
    expect(md).toContain(`| ${shown} |`);
  });
});
