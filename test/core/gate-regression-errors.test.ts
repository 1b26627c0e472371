import { describe, expect, it } from 'vitest';
import { caseFactsOf } from '../../src/core/eval/aggregate.js';
import { decideDeploy, type DeployGateInput, type SuiteRunFacts } from '../../src/core/gates.js';
import { GatePolicy } from '../../src/core/schemas/config.js';
import { checkMessage } from '../../src/render/gate-text.js';
import { comparedRatesText } from '../../src/render/deltas.js';

/**
 * Errors are reported apart from wrong answers: a case whose verdict is `error` on either side is
 * left out of the regression check, as the threshold check never fails a suite on errors alone.
 */

const HASH = 'a'.repeat(64);
type Case = NonNullable<SuiteRunFacts['cases']>[number];
type Verdict = 'pass' | 'fail' | 'error';
const kase = (id: string, v: Verdict): Case => ({ id, passes: v === 'pass' ? 1 : 0, samples: 1, passed: v === 'pass', ...(v === 'error' ? { errored: true as const } : {}) });
/** A run whose pass rate is its summary's: passed / cases, errored cases counting as not passed. */
const run = (verdicts: Verdict[]): SuiteRunFacts => ({
  suite: 'golden', kind: 'golden', p95: 100, piiLeaks: 0, systemPromptLeaks: 0,
  passRate: verdicts.filter((v) => v === 'pass').length / verdicts.length,
  cases: verdicts.map((v, i) => kase(`c${i}`, v)),
});
const verdicts = (n: number, at: (i: number) => Verdict): Verdict[] => Array.from({ length: n }, (_, i) => at(i));

function check(current: Verdict[], baseline: Verdict[], gates: object = {}) {
  const input: DeployGateInput = {
    promptId: 'qa', version: '1.1.0', env: 'staging', envOrder: ['staging', 'production'], policy: GatePolicy.parse(gates), model: 'm',
    registered: true, edited: false, testedMark: { model: 'm', contentHash: HASH, source: 'run' }, currentHash: HASH,
    deployedInPreviousEnv: true, alreadyActive: false,
    suiteRuns: [run(current)], baseline: { version: '1.0.0', suiteRuns: [run(baseline)] },
  };
  const c = decideDeploy(input).checks.find((x) => x.kind === 'regression-pass-rate');
  if (c?.kind !== 'regression-pass-rate') throw new Error('a pass-rate check expected');
  return c;
}

describe('errored cases in the regression check', () => {
  it('27 server errors of 1,000 on the candidate are not 27 cases that got worse', () => {
    const c = check(verdicts(1000, (i) => (i < 27 ? 'error' : 'pass')), verdicts(1000, () => 'pass'), { max_pass_rate_drop: 0.01 });
    expect(c).toMatchObject({ outcome: 'pass', ok: true, errored: 27, baseline: 1, candidate: 1, drop: 0 });
    // Paired by default: 973 cases judged on both sides, none worse (fails if the method changed).
    expect(c).toMatchObject({ method: 'paired-score', cases: 973, worse: 0 });
    expect(checkMessage(c)).toBe("golden suite 'golden': pass rate 100.0% vs 100.0% on 1.0.0; 27 cases errored on one side and were left out");
  });

  it('errored baseline cases are not "better" cases that hide a real drop', () => {
    // 40 cases errored on the baseline and pass on the candidate; 40 others newly fail.
    const c = check(verdicts(400, (i) => (i < 40 ? 'pass' : i < 80 ? 'fail' : 'pass')), verdicts(400, (i) => (i < 40 ? 'error' : 'pass')), { on_inconclusive: 'block' });
    expect(c).toMatchObject({ outcome: 'regression', ok: false, errored: 40, worse: 40, better: 0, cases: 360 });
    expect(c.drop).toBeCloseTo((40 / 360) * 100, 9);
    expect(checkMessage(c)).toMatch(/40 of 360 cases got worse; the true drop is at least [\d.]+ points \(95% confidence\); 40 cases errored on one side and were left out$/);
  });

  it('the point rule leaves them out too: one rule for both methods', () => {
    const c = check(verdicts(100, (i) => (i < 10 ? 'error' : 'pass')), verdicts(100, () => 'pass'), { regression_method: 'point' });
    expect(c).toMatchObject({ method: 'point', outcome: 'pass', errored: 10, drop: 0 });
  });

  it('a case errored on both sides counts once, and failures still count', () => {
    const c = check(['error', 'fail', 'pass', 'pass'], ['error', 'pass', 'pass', 'pass']);
    expect(c).toMatchObject({ errored: 1, baseline: 1, candidate: 2 / 3 });
  });
});

describe('the case facts a gate pairs', () => {
  it('mark a case errored by the case verdict rule: only when its errored samples decide it', () => {
    const specs = ['a', 'b', 'c', 'd'].map((id) => ({ id, repeat: 3, minPassRate: 2 / 3 }));
    const tally = {
      cases: [
        { caseId: 'a', pass: 2, fail: 0, error: 1, piiLeaks: 0, promptLeaks: 0 }, // passes whatever the error was
        { caseId: 'b', pass: 0, fail: 2, error: 1, piiLeaks: 0, promptLeaks: 0 }, // fails whatever the error was
        { caseId: 'c', pass: 1, fail: 1, error: 1, piiLeaks: 0, promptLeaks: 0 }, // the error decides: errored
        { caseId: 'd', pass: 0, fail: 0, error: 3, piiLeaks: 0, promptLeaks: 0 },
      ],
      latencies: [], tokensIn: 0, tokensOut: 0,
    };
    expect(caseFactsOf(specs, tally).map((c) => [c.id, c.passed, Boolean(c.errored)])).toEqual([
      ['a', true, false],
      ['b', false, false],
      ['c', false, true],
      ['d', false, true],
    ]);
  });
});

describe('the pass rates beside a baseline comparison', () => {
  it('say how many errored cases were left out', () => {
    expect(comparedRatesText({ passRate: 1, baselinePassRate: 1, errored: 27 })).toBe('100.0% vs 100.0% (27 errored, left out)');
    expect(comparedRatesText({ passRate: 0.9, baselinePassRate: null })).toBe('90.0% vs –');
  });
});

describe('a suite whose every case errored on one side', () => {
  it('is not compared, never a pass on no cases beside 0% vs 100%', () => {
    const input: DeployGateInput = {
      promptId: 'qa', version: '1.1.0', env: 'staging', envOrder: ['staging', 'production'], policy: GatePolicy.parse({}), model: 'm',
      registered: true, edited: false, testedMark: { model: 'm', contentHash: HASH, source: 'run' }, currentHash: HASH,
      deployedInPreviousEnv: true, alreadyActive: false,
      suiteRuns: [run(verdicts(10, () => 'error'))], baseline: { version: '1.0.0', suiteRuns: [run(verdicts(10, () => 'pass'))] },
    };
    const checks = decideDeploy(input).checks;
    expect(checks.find((x) => x.kind === 'regression-pass-rate')).toBeUndefined();
    const c = checks.find((x) => x.kind === 'regression-not-compared')!;
    expect(c).toMatchObject({ why: 'errored', errored: 10, ok: true, skipped: true });
    expect(checkMessage(c)).toBe("golden suite 'golden': not compared with 1.0.0: every one of its 10 cases errored on one side (server errors, not answers), so no case compares; evaluate the side that errored again when the server answers");
  });
});
