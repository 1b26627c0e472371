import { describe, expect, it } from 'vitest';
import { decideDeploy, type DeployGateInput, type SuiteRunFacts } from '../../src/core/gates.js';
import type { GoneSuite } from '../../src/core/gate-types.js';
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

/**
 * A suite whose file is gone but the registry knows never relaxes a gate: unless retired, it fails
 * by name (not overridable), and the version's own run of it on this content counts in the gates on
 * runs. Before, the gates saw only the suites on disk: a failing golden suite moved away let the
 * version through, and an adversarial run with 61 PII leaks read "no adversarial run, so not measured".
 */
const gone = (suite: string, kind: SuiteRunFacts['kind'], over: Partial<GoneSuite> = {}): GoneSuite => ({ suite, kind, file: `evalsets/bot/${suite}.yaml`, retired: false, ...over });
const goldenOnly = (over: Partial<DeployGateInput>) => input({ policy: GatePolicy.parse({ requires_tested: false }), suiteRuns: [run('easy', 'golden')], suiteKinds: { easy: 'golden' }, ...over });
const restore = "restore the file (`git log --all -- evalsets/bot/%s.yaml` finds the commit that deleted it; `git checkout <commit>^ -- evalsets/bot/%s.yaml` brings it back), or to retire the suite deliberately, list bot/%s under retired_suites in .promptrc.yaml (a reviewed change)";
const ways = (suite: string) => restore.replaceAll('%s', suite);

const goneRows: Array<{ name: string; input: DeployGateInput; failures: string[]; says: Record<string, string> }> = [
  {
    name: 'a golden suite gone whose run of this content failed: refused by name, with the run',
    input: goldenOnly({ goneSuites: [gone('hard', 'golden', { run: { passRate: 0.5, p95: 100, piiLeaks: 0, systemPromptLeaks: 0, passed: false } })] }),
    failures: ['suite-missing:hard'],
    says: { 'suite-missing:hard': `golden suite 'hard' is missing: evalsets/bot/hard.yaml is not in the project, but the registry holds 1.0.0's own run of it on this content (failed: pass rate 50.0%); a missing suite never relaxes a gate: ${ways('hard')}` },
  },
  {
    name: 'an adversarial suite gone whose run leaked: its leaks count, never "no adversarial run"',
    input: goldenOnly({ goneSuites: [gone('packs', 'adversarial', { run: { passRate: 0.7, p95: 100, piiLeaks: 61, systemPromptLeaks: 0, resistance: 0.679, passed: false } })] }),
    failures: ['suite-missing:packs', 'pii-leaks'],
    says: {
      'suite-missing:packs': `adversarial suite 'packs' is missing: evalsets/bot/packs.yaml is not in the project, but the registry holds 1.0.0's own run of it on this content (failed: injection resistance 67.9%, 61 PII leaks, 0 system-prompt leaks); a missing suite never relaxes a gate: ${ways('packs')}`,
      'pii-leaks': "61 PII leaks found ('packs': 61), more than the limit of 0",
      'system-prompt-leaks': '0 system-prompt leaks (limit 0)',
    },
  },
  {
    // The missing file is the reason it is refused; the judge change is why restoring it alone would not do.
    name: 'a golden suite gone whose run was graded by another judge: the judge change follows the ways on',
    input: goldenOnly({ goneSuites: [gone('hard', 'golden', { run: { passRate: 1, p95: 100, piiLeaks: 0, systemPromptLeaks: 0, passed: true }, regraded: { was: { rubric: 'old-judge' }, now: { rubric: 'm' } } })] }),
    failures: ['suite-missing:hard'],
    says: {
      'suite-missing:hard': `golden suite 'hard' is missing: evalsets/bot/hard.yaml is not in the project, but the registry holds 1.0.0's own run of it on this content (passed: pass rate 100.0%); a missing suite never relaxes a gate: ${ways('hard')}; restored, its run still would not count: the judge changed since its run, which graded rubrics by old-judge, now m; evaluate it to grade it with the current judge, or restore the judge it was graded by (.promptrc.yaml server.judge_model, or server.model for rubrics)`,
    },
  },
  {
    name: 'a suite gone that the active version was tested on, with no run of this content',
    input: goldenOnly({ goneSuites: [gone('hard', 'golden', { testedActive: '0.9.0' })] }),
    failures: ['suite-missing:hard'],
    says: { 'suite-missing:hard': `golden suite 'hard' is missing: evalsets/bot/hard.yaml is not in the project, but 0.9.0, active in qa, was tested on it, so the regression against 0.9.0 cannot be checked on it; a missing suite never relaxes a gate: ${ways('hard')}` },
  },
  {
    name: 'a retired adversarial suite: nothing refused, and the leak lines say it is retired',
    input: goldenOnly({ goneSuites: [gone('packs', 'adversarial', { retired: true, testedActive: '0.9.0', run: { passRate: 0.7, p95: 100, piiLeaks: 61, systemPromptLeaks: 0, passed: false } })] }),
    failures: [],
    says: { 'pii-leaks': "PII leaks: not measured: no adversarial suite of the project ran ('packs' is retired in .promptrc.yaml, so its runs no longer count) (limit 0)" },
  },
  {
    name: "a retired suite is named where a minimum's missing run would read as no run",
    input: goldenOnly({ policy: GatePolicy.parse({ requires_tested: false, min_adversarial_pass_rate: 0.9 }), goneSuites: [gone('packs', 'adversarial', { retired: true, run: { passRate: 1, p95: 100, piiLeaks: 0, systemPromptLeaks: 0, passed: true } })] }),
    failures: ['adversarial-pass-rate'],
    says: {
      'adversarial-pass-rate': "no adversarial suite of the project applies to 1.0.0 ('packs' is retired in .promptrc.yaml, so its runs no longer count): qa requires injection resistance of 90.0% or more; `promptctl redteam generate bot` writes an adversarial suite, then run `promptctl eval bot@1.0.0`",
    },
  },
];

describe('gates over suites whose file is gone', () => {
  it.each(goneRows)('$name', (row) => {
    const decision = decideDeploy(row.input);
    expect(decision.failures.map(checkId)).toEqual(row.failures);
    expect(decision.failures.filter((c) => c.kind === 'suite-missing').every((c) => !c.overridable)).toBe(true);
    for (const [id, text] of Object.entries(row.says)) expect(checkMessage(decision.checks.find((c) => checkId(c) === id)!)).toBe(text);
  });
});
