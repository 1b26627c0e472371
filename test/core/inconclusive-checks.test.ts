import { describe, expect, it } from 'vitest';
import type { GateCheck } from '../../src/core/gate-check.js';
import { baselineWordedBy, isInconclusive, wordedBaseline } from '../../src/core/gate-regression.js';
import type { BaselineComparison, BaselineFacts } from '../../src/core/schemas/report.js';

const about = { suite: 'golden', suiteKind: 'golden' as const, baselineVersion: '1.0.0', overridable: true };
const paired = { method: 'paired-score' as const, cases: 4, worse: 1, better: 0, lowerBound: 0, confidence: 0.95, familyConfidence: 0.95, familySize: 1 };
const drop = (outcome: 'pass' | 'regression' | 'inconclusive', ok: boolean): GateCheck => ({ kind: 'regression-pass-rate', ...about, baseline: 1, candidate: 0.75, drop: 25, limit: 5, ...paired, outcome, ok });
const pointDrop = (ok: boolean): GateCheck => ({ kind: 'regression-pass-rate', ...about, baseline: 1, candidate: 0.75, drop: 25, limit: 5, method: 'point', outcome: ok ? 'pass' : 'regression', ok });
const latency = { kind: 'p95-latency' as const, ...about, promptId: 'p', version: '1.1.0', env: 'production', model: 'm', baseline: 100, candidate: 200, rise: 100, limit: 50 };
const measured = (outcome: 'pass' | 'regression' | 'inconclusive') => ({ outcome, requests: { baseline: 40, candidate: 40 }, baselineP95: 100, candidateP95: 200, rise: 100, lowerBound: 20, confidence: 0.95 });

describe('isInconclusive: a failed check that proves no regression', () => {
  it.each<[string, GateCheck, boolean]>([
    ['a paired drop whose bound is beyond the limit', drop('regression', false), false],
    ['a paired drop only the observed value puts beyond the limit, blocked', drop('inconclusive', false), true],
    ['the same let through (on_inconclusive: warn)', { ...drop('inconclusive', true), warn: true }, false],
    ['a passing drop', drop('pass', true), false],
    ['a point drop beyond the limit (the point rule decides)', pointDrop(false), false],
    ['a measured p95 rise proven beyond the limit', { ...latency, measured: measured('regression'), ok: false }, false],
    ['a measured p95 rise the measurement cannot tell from noise, blocked', { ...latency, measured: measured('inconclusive'), ok: false }, true],
    ['a p95 rise seen only between separate runs, waiting for a measurement', { ...latency, ok: false, overridable: false }, true],
    ['a p95 rise within the limit', { ...latency, rise: 10, ok: true }, false],
    ['a failed check of another kind', { kind: 'golden-pass-rate', suite: 'golden', passRate: 0.5, min: 0.9, ok: false, overridable: true }, false],
  ])('%s → %s', (_, check, expected) => {
    expect(isInconclusive(check)).toBe(expected);
  });
});

describe('wordedBaseline: the words of the inconclusive checks listed apart', () => {
  const facts = (regressions: GateCheck[][]): BaselineFacts => ({
    env: 'production',
    promptId: 'p',
    version: '1.1.0',
    baselineVersion: '1.0.0',
    suites: regressions.map((r, i) => ({ suite: `s${i}`, passRate: 0.75, baselinePassRate: 1, p95: 200, baselineP95: 100, regressions: r })),
  });
  const numbered = (b: BaselineFacts): BaselineComparison => ({ ...b, suites: b.suites.map(({ warnings: _, ...s }) => ({ ...s, regressions: s.regressions.map((c, j) => `${s.suite}#${j} ${c.kind}`) })) });

  it('keeps every sentence in regressions and names the inconclusive ones, per suite', () => {
    const out = wordedBaseline(facts([[drop('regression', false), { ...latency, ok: false, overridable: false }], [drop('inconclusive', false)], []]), numbered);
    expect(out.suites.map((s) => [s.regressions, s.inconclusive])).toEqual([
      [['s0#0 regression-pass-rate', 's0#1 p95-latency'], ['s0#1 p95-latency']],
      [['s1#0 regression-pass-rate'], ['s1#0 regression-pass-rate']],
      [[], undefined],
    ]);
  });

  it('adds no field when every failed check is a proven regression', () => {
    const out = wordedBaseline(facts([[drop('regression', false)]]), numbered);
    expect(out.suites[0]).not.toHaveProperty('inconclusive');
  });
});

describe('baselineWordedBy: the limit of a failed or warned pass-rate check stays beside the rates it shows', () => {
  const suite = (regressions: GateCheck[], warnings?: GateCheck[]) => ({ suite: 's', passRate: 0.75, baselinePassRate: 1, p95: 200, baselineP95: 100, regressions, ...(warnings ? { warnings } : {}) });
  const worded = baselineWordedBy((c) => c.kind);
  it.each<[string, number | undefined, ReturnType<typeof suite>]>([
    ['a failed drop', 5, suite([drop('regression', false)])],
    ['an inconclusive drop that blocks', 5, suite([drop('inconclusive', false)])],
    ['an inconclusive drop that only warns', 5, suite([], [{ ...drop('inconclusive', true), warn: true }])],
    ['a failed p95 rise alone', undefined, suite([{ ...latency, ok: false, overridable: false }])],
    ['no failed check', undefined, suite([])],
  ])('%s → passRateLimit %s', (_, limit, s) => {
    const out = worded({ env: 'production', promptId: 'p', version: '1.1.0', baselineVersion: '1.0.0', suites: [s] }).suites[0]!;
    expect(out.passRateLimit).toBe(limit);
    if (limit === undefined) expect(out).not.toHaveProperty('passRateLimit');
  });
});

