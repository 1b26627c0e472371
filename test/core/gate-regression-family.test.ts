import { describe, expect, it } from 'vitest';
import { decideDeploy, type DeployGateInput, type SuiteRunFacts } from '../../src/core/gates.js';
import { GatePolicy } from '../../src/core/schemas/config.js';
import { checkMessage } from '../../src/render/gate-text.js';

/**
 * Holm's family for the pass-rate check: every suite that applies to the version and can be
 * compared with the deployed one. A suite whose `versions:` range leaves out the deployed version
 * can never be compared with it, so it does not weaken the others' check; a suite that applies to
 * both but has no run yet still counts (running it later must not turn a verdict around).
 */

const HASH = 'a'.repeat(64);
const run = (worse: number, better: number, cases: number, side: 'baseline' | 'candidate'): SuiteRunFacts => {
  const facts = Array.from({ length: cases }, (_, i) => {
    const passed = side === 'baseline' ? i >= worse + better || i < worse : i >= worse;
    return { id: `c${i}`, passes: passed ? 1 : 0, samples: 1, passed };
  });
  return { suite: 'golden', kind: 'golden', p95: 100, piiLeaks: 0, systemPromptLeaks: 0, passRate: facts.filter((f) => f.passed).length / cases, cases: facts };
};

function check(applicable: string[], baselineApplicable: string[] | undefined) {
  const input: DeployGateInput = {
    promptId: 'qa', version: '1.1.0', env: 'staging', envOrder: ['staging', 'production'], policy: GatePolicy.parse({}), model: 'm',
    registered: true, edited: false, testedMark: { model: 'm', contentHash: HASH, source: 'run' }, currentHash: HASH,
    deployedInPreviousEnv: true, alreadyActive: false, applicableSuites: applicable,
    suiteRuns: [run(12, 1, 100, 'candidate')],
    baseline: { version: '1.0.0', suiteRuns: [run(12, 1, 100, 'baseline')], ...(baselineApplicable ? { applicableSuites: baselineApplicable } : {}) },
  };
  const c = decideDeploy(input).checks.find((x) => x.kind === 'regression-pass-rate');
  if (c?.kind !== 'regression-pass-rate' || c.method === 'point') throw new Error('a paired pass-rate check expected');
  return c;
}

describe("Holm's family of the pass-rate check", () => {
  it('leaves out a suite whose range excludes the deployed version: 12 worse, 1 better of 100 stays a regression', () => {
    const c = check(['golden', 'warranty'], ['golden']);
    expect(c).toMatchObject({ outcome: 'regression', familySize: 1, confidence: 0.95 });
    expect(checkMessage(c)).toMatch(/12 of 100 cases got worse, 1 better; the true drop is at least 5\.8 points \(95% confidence\)$/);
  });

  it('counts a suite that applies to both versions though it has no run yet, and says the stricter level it judged at', () => {
    const c = check(['golden', 'billing'], ['golden', 'billing']);
    expect(c).toMatchObject({ outcome: 'inconclusive', familySize: 2, confidence: 0.975, familyConfidence: 0.95 });
    expect(checkMessage(c)).toMatch(/with 100 cases this cannot be told from chance \(judged at 97\.5% because 2 suites are checked together\); about [\d,]+ cases would decide it/);
  });

  it('counts every applicable suite when the deployed version\'s suites are not known', () => {
    expect(check(['golden', 'warranty'], undefined)).toMatchObject({ familySize: 2 });
  });

  it('says no level when the check ran at the configured one', () => {
    const c = check(['golden'], ['golden']);
    expect(checkMessage(c)).not.toMatch(/judged at/);
  });
});
