import { describe, expect, it } from 'vitest';
import type { CaseTally, RunTally } from '../../src/core/eval/aggregate.js';
import { failingCaseIds, suiteAsLastRan, tallyVerdicts, type CaseVerdict } from '../../src/core/eval/latest-verdicts.js';

/** --filter-failing sends each case whose most recent verdict is not a pass (core/eval/latest-verdicts.ts). */

const run = (verdicts: Record<string, CaseVerdict>) => new Map(Object.entries(verdicts));

describe('failingCaseIds: each case by its most recent verdict', () => {
  const ids = ['a', 'b', 'c', 'd'];
  it.each<{ name: string; runs: Array<Map<string, CaseVerdict>>; want: string[] }>([
    { name: 'one complete run: its fails and errors', runs: [run({ a: 'pass', b: 'fail', c: 'error', d: 'pass' })], want: ['b', 'c'] },
    { name: 'a later run of one passing case leaves the others failing (the --case defect)', runs: [run({ a: 'pass', b: 'fail', c: 'fail', d: 'pass' }), run({ a: 'pass' })], want: ['b', 'c'] },
    { name: 'a case that passed later is no longer failing', runs: [run({ a: 'pass', b: 'fail', c: 'fail', d: 'pass' }), run({ b: 'pass', c: 'fail' })], want: ['c'] },
    { name: 'a case that failed later is failing', runs: [run({ a: 'pass', b: 'fail', c: 'pass', d: 'pass' }), run({ c: 'fail' })], want: ['b', 'c'] },
    { name: 'the newest verdict wins over several later runs', runs: [run({ a: 'fail', b: 'pass', c: 'pass', d: 'pass' }), run({ a: 'pass', b: 'fail' }), run({ a: 'fail' }), run({ b: 'pass' })], want: ['a'] },
    { name: 'not-run replaces nothing', runs: [run({ a: 'fail', b: 'pass', c: 'pass', d: 'pass' }), run({ a: 'not-run', b: 'not-run' })], want: ['a'] },
    { name: 'no complete run: a case no run judged has not passed', runs: [run({ a: 'pass', b: 'fail' })], want: ['b', 'c', 'd'] },
    { name: 'every case passed when it last ran: nothing', runs: [run({ a: 'fail', b: 'pass', c: 'pass', d: 'pass' }), run({ a: 'pass' })], want: [] },
    { name: 'verdicts of cases the suite no longer has are ignored', runs: [run({ a: 'pass', b: 'pass', c: 'pass', d: 'pass', gone: 'fail' })], want: [] },
  ])('$name', ({ runs, want }) => {
    expect([...failingCaseIds(ids, runs)].sort()).toEqual(want);
  });
});

describe('suiteAsLastRan: a partial run judged as its suite with the selected cases merged in', () => {
  const ids = ['a', 'b', 'c', 'd'];
  it.each<{ name: string; runs: Array<Map<string, CaseVerdict>>; threshold: number; verdict: string; passed: number; notRun?: number }>([
    // The defect: 3/4 passed the 75% threshold; re-running the failing case (still failing) gave "failed 0.0%".
    { name: 'the selected failing case still fails: the suite still passes at 3/4', runs: [run({ a: 'pass', b: 'pass', c: 'pass', d: 'fail' }), run({ d: 'fail' })], threshold: 0.75, verdict: 'passed', passed: 3 },
    { name: 'a selected case that passed now lifts the suite over its threshold', runs: [run({ a: 'pass', b: 'pass', c: 'fail', d: 'fail' }), run({ c: 'pass' })], threshold: 0.75, verdict: 'passed', passed: 3 },
    { name: 'a selected case that fails now drops the suite below it', runs: [run({ a: 'pass', b: 'pass', c: 'pass', d: 'fail' }), run({ a: 'fail' })], threshold: 0.75, verdict: 'failed', passed: 2 },
    { name: 'an errored case that could turn the verdict leaves it incomplete', runs: [run({ a: 'pass', b: 'pass', c: 'fail', d: 'pass' }), run({ c: 'error' })], threshold: 1, verdict: 'incomplete', passed: 3 },
    { name: 'no complete run: cases no run judged are not run, so incomplete', runs: [run({ a: 'pass' })], threshold: 0.25, verdict: 'incomplete', passed: 1, notRun: 3 },
  ])('$name', ({ runs, threshold, verdict, passed, notRun }) => {
    const got = suiteAsLastRan(ids, runs, threshold);
    expect(got).toMatchObject({ verdict, passed, cases: 4, notRun: notRun ?? 0 });
    expect(got.passRate).toBe(passed / 4);
  });
});

describe('tallyVerdicts: the case verdict, not the worst sample', () => {
  const tally = (cases: Array<Partial<CaseTally> & { caseId: string }>): RunTally => ({ cases: cases.map((c) => ({ pass: 0, fail: 0, error: 0, piiLeaks: 0, promptLeaks: 0, ...c })), latencies: [], tokensIn: 0, tokensOut: 0 });
  it.each<{ name: string; repeat: number; minPassRate: number; counts: Partial<CaseTally>; want: CaseVerdict }>([
    { name: 'one failing sample of five at min_pass_rate 0.8 passes', repeat: 5, minPassRate: 0.8, counts: { pass: 4, fail: 1 }, want: 'pass' },
    { name: 'two failing samples of five at min_pass_rate 0.8 fail', repeat: 5, minPassRate: 0.8, counts: { pass: 3, fail: 2 }, want: 'fail' },
    { name: 'one failing sample at min_pass_rate 1 fails', repeat: 3, minPassRate: 1, counts: { pass: 2, fail: 1 }, want: 'fail' },
    { name: 'an errored sample that could turn it is an error', repeat: 2, minPassRate: 1, counts: { pass: 1, error: 1 }, want: 'error' },
    { name: 'fewer samples than its repeat: not run', repeat: 5, minPassRate: 0.8, counts: { pass: 3 }, want: 'not-run' },
  ])('$name', ({ repeat, minPassRate, counts, want }) => {
    expect(tallyVerdicts([{ id: 'x', repeat, minPassRate }], tally([{ caseId: 'x', ...counts }])).get('x')).toBe(want);
  });

  it('judges only the cases given; one without samples is not run', () => {
    const got = tallyVerdicts([{ id: 'x', repeat: 1, minPassRate: 1 }, { id: 'y', repeat: 1, minPassRate: 1 }], tally([{ caseId: 'x', pass: 1 }, { caseId: 'z', fail: 1 }]));
    expect([...got]).toEqual([
      ['x', 'pass'],
      ['y', 'not-run'],
    ]);
  });
});
