import { describe, expect, it } from 'vitest';
import { decideDeploy, type DeployGateInput, type SuiteRunFacts } from '../../src/core/gates.js';
import { GatePolicy } from '../../src/core/schemas/config.js';
import { checkMessage } from '../../src/render/gate-text.js';

/**
 * The pass-rate regression check with `repeat` > 1: a case's samples are reduced to its verdict,
 * so the check compares one verdict per case and side, and must judge it as it judges repeat 1
 * (Tango's bound with the exact McNemar test), whatever the order of the cases.
 */

const HASH = 'a'.repeat(64);
const production = GatePolicy.parse({ min_adversarial_pass_rate: 0.995 });

type Case = NonNullable<SuiteRunFacts['cases']>[number];
const run = (cases: Case[]): SuiteRunFacts => ({
  suite: 'golden',
  kind: 'golden',
  passRate: cases.filter((c) => c.passed).length / cases.length,
  p95: 100,
  piiLeaks: 0,
  systemPromptLeaks: 0,
  cases,
});
/** One case run `samples` times: every sample passing or every one failing. */
const kase = (id: string, passed: boolean, samples: number): Case => ({ id, passes: passed ? samples : 0, samples, passed });

function input(current: Case[], baseline: Case[]): DeployGateInput {
  return {
    promptId: 'qa', version: '1.1.0', env: 'production', envOrder: ['staging', 'production'], policy: production, model: 'm',
    registered: true, edited: false, testedMark: { model: 'm', contentHash: HASH, source: 'run' }, currentHash: HASH,
    deployedInPreviousEnv: true, alreadyActive: false,
    suiteRuns: [run(current)],
    baseline: { version: '1.0.0', suiteRuns: [run(baseline)] },
  };
}

function passRateCheck(i: DeployGateInput) {
  const check = decideDeploy(i).checks.find((c) => c.kind === 'regression-pass-rate');
  if (check?.kind !== 'regression-pass-rate' || check.method === 'point') throw new Error('a paired pass-rate check expected');
  return check;
}

describe('the regression check with repeats', () => {
  it.each([1, 2, 5])('one case of one got worse (repeat %i): inconclusive, never a regression at 95%%', (samples) => {
    const check = passRateCheck(input([kase('c1', false, samples)], [kase('c1', true, samples)]));
    expect(check).toMatchObject({ method: 'paired-score', outcome: 'inconclusive', cases: 1, worse: 1 });
    expect(checkMessage(check)).toMatch(/inconclusive: 1 of 1 case got worse .* cannot be told from chance/);
  });

  it('gives the same verdict as repeat 1 for the same case verdicts', () => {
    const cases = (samples: number, failing: number) => Array.from({ length: 40 }, (_, i) => kase(`c${i}`, i >= failing, samples));
    const once = passRateCheck(input(cases(1, 4), cases(1, 0)));
    const thrice = passRateCheck(input(cases(3, 4), cases(3, 0)));
    expect({ ...thrice }).toEqual({ ...once });
  });

  it('does not depend on the order of the cases (12 worse, 1 better of 100)', () => {
    const ids = [...Array.from({ length: 87 }, (_, i) => `tie${i}`), ...Array.from({ length: 12 }, (_, i) => `worse${i}`), 'better0'];
    const base = (id: string) => kase(id, !id.startsWith('better'), 2);
    const cur = (id: string) => kase(id, id.startsWith('tie') || id.startsWith('better'), 2);
    // A fixed, seedless shuffle: rotate and reverse the order a few ways.
    const orders = [ids, [...ids].reverse(), [...ids.slice(37), ...ids.slice(0, 37)], ids.filter((_, i) => i % 2).concat(ids.filter((_, i) => i % 2 === 0))];
    const verdicts = orders.map((o) => passRateCheck(input(o.map(cur), [...o].reverse().map(base))));
    for (const v of verdicts) expect({ outcome: v.outcome, lowerBound: v.lowerBound }).toEqual({ outcome: verdicts[0]!.outcome, lowerBound: verdicts[0]!.lowerBound });
    expect(verdicts[0]).toMatchObject({ outcome: 'regression', worse: 12, better: 1 });
  });
});
