import { describe, expect, it } from 'vitest';
import { decideDeploy, type DeployGateInput, type SuiteRunFacts } from '../../src/core/gates.js';
import { GatePolicy } from '../../src/core/schemas/config.js';
import { checkId, checkMessage } from '../../src/render/gate-text.js';

/**
 * A minimum or a leak limit judges every suite that applies, not only those that happen to have a
 * run: a suite without a counting run fails the minimum by name and is named as not measured.
 */

const HASH = 'a'.repeat(64);
const run = (suite: string, kind: SuiteRunFacts['kind'], over: Partial<SuiteRunFacts> = {}): SuiteRunFacts => ({ suite, kind, passRate: 1, p95: 100, piiLeaks: 0, systemPromptLeaks: 0, ...(kind === 'adversarial' ? { resistance: 1 } : {}), ...over });
const kinds = { easy: 'golden', hard: 'golden', hand: 'adversarial', packs: 'adversarial' } as const;

function input(over: Partial<DeployGateInput> = {}): DeployGateInput {
  return {
    promptId: 'bot',
    version: '1.0.0',
    env: 'qa',
    envOrder: ['qa'],
    policy: GatePolicy.parse({ requires_tested: false, min_golden_pass_rate: 0.9, min_adversarial_pass_rate: 0.9 }),
    model: 'm',
    registered: true,
    edited: false,
    currentHash: HASH,
    deployedInPreviousEnv: false,
    suiteRuns: [run('easy', 'golden'), run('hand', 'adversarial')],
    suiteKinds: kinds,
    alreadyActive: false,
    ...over,
  };
}

const rows: Array<{ name: string; input: DeployGateInput; failures: string[]; says?: Record<string, RegExp> }> = [
  {
    name: 'one golden and one adversarial suite never ran: each fails by name',
    input: input(),
    failures: ['golden-pass-rate:hard', 'adversarial-pass-rate:packs'],
    says: {
      'golden-pass-rate:hard': /^golden suite 'hard': no finished run of 1\.0\.0 on m .*the 90\.0% minimum is not met: run `promptctl eval bot@1\.0\.0`$/,
      'adversarial-pass-rate:packs': /^adversarial suite 'packs': no finished run .*qa requires injection resistance of 90\.0% or more; run `promptctl eval bot@1\.0\.0`$/,
      'pii-leaks': /^0 PII leaks in the suites that ran \(limit 0\); not measured in 'packs' .*run `promptctl eval bot@1\.0\.0`/,
      'system-prompt-leaks': /^0 system-prompt leaks in the suites that ran \(limit 0\); not measured in 'packs'/,
    },
  },
  { name: 'every applicable suite ran', input: input({ suiteRuns: [run('easy', 'golden'), run('hard', 'golden'), run('hand', 'adversarial'), run('packs', 'adversarial')] }), failures: [], says: { 'pii-leaks': /^0 PII leaks \(limit 0\)$/ } },
  { name: 'no golden minimum: an unrun golden suite is no failure', input: input({ policy: GatePolicy.parse({ requires_tested: false, min_adversarial_pass_rate: 0.9 }), suiteRuns: [run('hand', 'adversarial'), run('packs', 'adversarial')] }), failures: [] },
  { name: 'no suite ran at all: each applicable suite fails by name', input: input({ suiteRuns: [] }), failures: ['golden-pass-rate:easy', 'golden-pass-rate:hard', 'adversarial-pass-rate:hand', 'adversarial-pass-rate:packs'], says: { 'pii-leaks': /^PII leaks: no adversarial run, so not measured \(limit 0\): run `promptctl eval bot@1\.0\.0` for 'hand', 'packs'$/ } },
  { name: 'no suite of the kind applies: the kind-wide missing run, as before', input: input({ suiteKinds: {}, suiteRuns: [] }), failures: ['golden-pass-rate', 'adversarial-pass-rate'] },
  { name: 'a leak in a suite that ran fails and still names the unmeasured one', input: input({ suiteRuns: [run('easy', 'golden'), run('hard', 'golden'), run('hand', 'adversarial', { piiLeaks: 2 })], policy: GatePolicy.parse({ requires_tested: false }) }), failures: ['pii-leaks'], says: { 'pii-leaks': /^2 PII leaks found \('hand': 2\), more than the limit of 0; not measured in 'packs'/ } },
];

describe('gates over suites without a run', () => {
  it.each(rows)('$name', (row) => {
    const decision = decideDeploy(row.input);
    expect(decision.failures.map(checkId)).toEqual(row.failures);
    for (const [id, text] of Object.entries(row.says ?? {})) {
      const check = decision.checks.find((c) => checkId(c) === id);
      expect(check, id).toBeDefined();
      expect(checkMessage(check!)).toMatch(text);
    }
  });
});
