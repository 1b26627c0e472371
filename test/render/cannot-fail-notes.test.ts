import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../src/core/schemas/report.js';
import { cannotFailNotes } from '../../src/render/cannot-fail-text.js';
import { formatFinalTable } from '../../src/render/final-table.js';
import { goldenRun, passingReport } from './fixtures.js';

/**
 * Eval's table under a suite that could not fail: `min_pass_rate: 0` printed FAIL lines for a
 * case's samples, then `PASSED 4 FAILED 0` and a tested mark with nothing saying why; `threshold: 0`
 * passed a suite whatever its cases did. The notes say which run or cases passed only so.
 */

/** The fixture's golden run with every case's min_pass_rate and the threshold set. */
function run(opts: { threshold?: number; minPassRate?: number }): RunOutcome {
  const o = goldenRun();
  return {
    ...o,
    threshold: opts.threshold ?? o.threshold,
    cases: o.cases.map((k) => (opts.minPassRate === undefined || k.verdict === 'not-run' || k.verdict === 'error' ? k : { ...k, minPassRate: opts.minPassRate, verdict: 'pass' as const })),
  };
}

describe('cannotFailNotes', () => {
  it.each<{ name: string; runs: RunOutcome[]; want: string[] }>([
    { name: 'thresholds and minimums above 0: none', runs: [run({})], want: [] },
    { name: 'threshold 0', runs: [run({ threshold: 0 })], want: ['note: support-faq@1.1.0 faq cannot fail: threshold 0 passes it whatever its cases do (lint: suite/cannot-fail)'] },
    {
      name: 'min_pass_rate 0: the cases that passed with samples that did not',
      runs: [run({ minPassRate: 0 })],
      want: ['note: support-faq@1.1.0 faq: 2 cases passed only by min_pass_rate 0, with samples that did not pass (refund-window, flaky-greeting); such a case cannot fail (lint: suite/cannot-fail)'],
    },
  ])('$name', ({ runs, want }) => {
    expect(cannotFailNotes({ runs })).toEqual(want);
  });

  it('are printed under the runs table', () => {
    const out = formatFinalTable({ ...passingReport(), runs: [run({ threshold: 0 })] }, { color: false });
    expect(out).toMatch(/\nsupport-faq@1\.1\.0 +faq .*\nnote: support-faq@1\.1\.0 faq cannot fail: threshold 0/);
  });
});
