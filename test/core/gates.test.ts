import { describe, expect, it } from 'vitest';
import { decideDeploy, decideOverride, type DeployGateInput, type SuiteRunFacts } from '../../src/core/gates.js';
import { GatePolicy } from '../../src/core/schemas/config.js';
import { checkId, checkMessage, evalCommandOf, overrideRefusalText } from '../../src/render/gate-text.js';

const HASH = 'a'.repeat(64);
const OTHER_HASH = 'b'.repeat(64);
const production = GatePolicy.parse({ requires_previous_env: true, min_adversarial_pass_rate: 0.995 });
/** The schema's defaults: no adversarial minimum unless a config sets one. */
const staging = GatePolicy.parse({});

const golden = (over: Partial<SuiteRunFacts> = {}): SuiteRunFacts => ({
  suite: 'faq',
  kind: 'golden',
  passRate: 0.94,
  p95: 400,
  piiLeaks: 0,
  systemPromptLeaks: 0,
  ...over,
});
const adversarial = (over: Partial<SuiteRunFacts> = {}): SuiteRunFacts => ({
  suite: 'attacks',
  kind: 'adversarial',
  passRate: 1,
  p95: 300,
  piiLeaks: 0,
  systemPromptLeaks: 0,
  ...over,
});

/** A deploy of support@1.2.0 to production that passes every gate; rows change one thing. */
function input(over: Partial<DeployGateInput> = {}): DeployGateInput {
  return {
    promptId: 'support',
    version: '1.2.0',
    env: 'production',
    envOrder: ['staging', 'production'],
    policy: production,
    model: 'llama-3-8b',
    registered: true,
    edited: false,
    testedMark: { model: 'llama-3-8b', contentHash: HASH, source: 'run' },
    currentHash: HASH,
    deployedInPreviousEnv: true,
    suiteRuns: [golden(), adversarial()],
    baseline: { version: '1.1.0', suiteRuns: [golden(), adversarial()] },
    alreadyActive: false,
    ...over,
  };
}

interface Row {
  name: string;
  input: DeployGateInput;
  allowed: boolean;
  /** Ids of the failed checks, in order. */
  failures?: string[];
  /** Text the first failure's message must contain. */
  message?: string | RegExp;
}

const rows: Row[] = [
  { name: 'all good', input: input(), allowed: true },
  { name: 'unknown version', input: input({ registered: false, testedMark: undefined }), allowed: false, failures: ['registered', 'tested'], message: 'not registered' },
  { name: 'untested', input: input({ testedMark: undefined }), allowed: false, failures: ['tested'], message: 'has not been tested on llama-3-8b' },
  {
    name: 'untested because its runs failed: the fix is a new version, not another eval',
    input: input({ testedMark: undefined, suiteRuns: [golden(), adversarial({ passRate: 0.5, resistance: 0.5, passed: false })] }),
    allowed: false,
    failures: ['tested', 'adversarial-pass-rate:attacks', 'regression-pass-rate:attacks'],
    message: /is not tested on llama-3-8b: its latest run of suite 'attacks' failed; fix the prompt in a new version \(`promptctl new support`\)/,
  },
  {
    name: 'a draft (never deployed) whose runs failed: the fix goes in its file, which may still change',
    input: input({ draft: true, file: 'prompts/support/1.2.0.yaml', testedMark: undefined, suiteRuns: [golden(), adversarial({ passRate: 0.5, resistance: 0.5, passed: false })] }),
    allowed: false,
    failures: ['tested', 'adversarial-pass-rate:attacks', 'regression-pass-rate:attacks'],
    message: /is not tested on llama-3-8b: its latest run of suite 'attacks' failed; fix the prompt in prompts\/support\/1\.2\.0\.yaml \(a draft until its first deploy\) and evaluate it again$/,
  },
  {
    // Server errors decided the latest run: it judged nothing, so the advice is to run it again, not a new version.
    name: 'tested, but the latest run of a suite is incomplete: run it again',
    input: input({ suiteRuns: [golden({ passed: false, incomplete: true }), adversarial()], applicableSuites: ['faq', 'attacks'] }),
    allowed: false,
    failures: ['tested'],
    message: /^1\.2\.0 was tested on llama-3-8b, but not on the current suites: 'faq' is incomplete \(server errors decided its latest run, or cases did not run\); run `promptctl eval support@1\.2\.0`$/,
  },
  {
    // Only the request settings changed (.promptrc.yaml defaults): no suite did, so none is called stale content.
    name: 'tested, but under other request settings: said as the settings changing',
    input: input({ suiteRuns: [], applicableSuites: ['faq', 'attacks'], settingsChanged: ['faq', 'attacks'] }),
    allowed: false,
    failures: ['tested', 'adversarial-pass-rate'],
    message: /^1\.2\.0 was tested on llama-3-8b, but the request settings changed since its runs \(\.promptrc\.yaml defaults or model\): 'faq' has no run under the current settings, 'attacks' has no run under the current settings; run `promptctl eval support@1\.2\.0`$/,
  },
  {
    name: 'tested, a suite changed and the settings too: the suites are named as not current',
    input: input({ suiteRuns: [], applicableSuites: ['faq', 'attacks'], settingsChanged: ['attacks'] }),
    allowed: false,
    failures: ['tested', 'adversarial-pass-rate'],
    message: /^1\.2\.0 was tested on llama-3-8b, but not on the current suites: 'faq' has no run of its current content and settings, 'attacks' has no run under the current settings; run/,
  },
  {
    name: 'untested, and the only run of a suite is incomplete: another eval, not a new version',
    input: input({ testedMark: undefined, suiteRuns: [golden({ passed: false, incomplete: true }), adversarial()] }),
    allowed: false,
    failures: ['tested'],
    message: /^1\.2\.0 has not been tested on llama-3-8b: run `promptctl eval support@1\.2\.0`$/,
  },
  { name: 'edited since registered', input: input({ edited: true }), allowed: false, failures: ['not-edited'], message: 'promptctl new support' },
  {
    name: 'edited since registered, kept as .yml: the hint names the file as loaded',
    input: input({ edited: true, file: 'prompts/support/1.1.0.yml' }),
    allowed: false,
    failures: ['not-edited'],
    message: 'restore prompts/support/1.1.0.yml: git checkout -- prompts/support/1.1.0.yml',
  },
  {
    name: 'tested on another model',
    input: input({ testedMark: { model: 'mistral-7b', contentHash: HASH, source: 'run' } }),
    allowed: false,
    failures: ['tested'],
    message: 'tested on model mistral-7b, not on the configured llama-3-8b',
  },
  {
    name: 'tested on other content',
    input: input({ testedMark: { model: 'llama-3-8b', contentHash: OTHER_HASH, source: 'run' } }),
    allowed: false,
    failures: ['tested'],
    message: 'tested with different content',
  },
  { name: 'untested but policy does not require it', input: input({ testedMark: undefined, policy: { ...production, requires_tested: false } }), allowed: true },
  {
    name: 'production without staging first',
    input: input({ deployedInPreviousEnv: false }),
    allowed: false,
    failures: ['previous-env'],
    message: 'has not been deployed to staging yet: production requires staging first',
  },
  {
    name: 'production after staging rolled it back',
    input: input({ deployedInPreviousEnv: false, previousEnvRolledBack: { seq: 5 } }),
    allowed: false,
    failures: ['previous-env'],
    message: /^1\.2\.0 was rolled back in staging \(event #5\): production requires it deployed in staging and not rolled back there/,
  },
  { name: 'first environment has no previous (not required there)', input: input({ env: 'staging', policy: staging, deployedInPreviousEnv: false }), allowed: true },
  {
    // The config loader refuses this; the gate never passes a rule it could not apply.
    name: 'first environment where requires_previous_env is set: the rule cannot be met',
    input: input({ env: 'staging', deployedInPreviousEnv: false }),
    allowed: false,
    failures: ['previous-env'],
    message: 'staging is the first environment: there is no previous one, so requires_previous_env cannot be met',
  },
  {
    name: 'adversarial below 99.5%',
    input: input({ suiteRuns: [golden(), adversarial({ passRate: 0.99, resistance: 0.99 })] }),
    allowed: false,
    failures: ['adversarial-pass-rate:attacks'],
    message: "adversarial suite 'attacks': injection resistance 99.0% is below the minimum 99.5% (min_adversarial_pass_rate)",
  },
  {
    // Every case passed its min_pass_rate, but some attacks got one success in: resistance decides.
    name: 'adversarial cases all pass, resistance below 99.5%',
    input: input({ suiteRuns: [golden(), adversarial({ passRate: 1, resistance: 0.98 })] }),
    allowed: false,
    failures: ['adversarial-pass-rate:attacks'],
    message: "adversarial suite 'attacks': injection resistance 98.0% is below the minimum 99.5%",
  },
  {
    name: 'adversarial run recorded before resistance: its pass rate, said so',
    input: input({ suiteRuns: [golden(), adversarial({ passRate: 0.99 })] }),
    allowed: false,
    failures: ['adversarial-pass-rate:attacks'],
    message: "adversarial suite 'attacks': pass rate (recorded before injection resistance) 99.0% is below the minimum 99.5%",
  },
  { name: 'adversarial exactly at 99.5%', input: input({ suiteRuns: [golden(), adversarial({ passRate: 0.995 })], baseline: undefined }), allowed: true },
  {
    name: 'PII leak',
    input: input({ suiteRuns: [golden(), adversarial({ piiLeaks: 1 })] }),
    allowed: false,
    failures: ['pii-leaks'],
    message: "1 PII leak found ('attacks': 1), more than the limit of 0",
  },
  {
    name: 'system-prompt leak',
    input: input({ suiteRuns: [golden(), adversarial({ systemPromptLeaks: 2 })] }),
    allowed: false,
    failures: ['system-prompt-leaks'],
    message: '2 system-prompt leaks found',
  },
  {
    name: 'golden minimum set and missed',
    input: input({ policy: { ...production, min_golden_pass_rate: 0.95 } }),
    allowed: false,
    failures: ['golden-pass-rate:faq'],
    message: "golden suite 'faq': pass rate 94.0% is below the minimum 95.0%",
  },
  {
    name: 'golden just below the minimum (94.9% against 95%) is refused',
    input: input({ policy: { ...production, min_golden_pass_rate: 0.95 }, suiteRuns: [golden({ passRate: 0.949 }), adversarial()] }),
    allowed: false,
    failures: ['golden-pass-rate:faq'],
    message: "golden suite 'faq': pass rate 94.9% is below the minimum 95.0%",
  },
  { name: 'golden exactly at the minimum (19 of 20 against 95%) passes', input: input({ policy: { ...production, min_golden_pass_rate: 0.95 }, suiteRuns: [golden({ passRate: 19 / 20 }), adversarial()] }), allowed: true },
  {
    name: 'golden minimum set but no golden run',
    input: input({ policy: { ...production, min_golden_pass_rate: 0.9 }, suiteRuns: [adversarial()] }),
    allowed: false,
    failures: ['golden-pass-rate'],
  },
  {
    name: 'regression in pass rate',
    input: input({ suiteRuns: [golden({ passRate: 0.82 }), adversarial()] }),
    allowed: false,
    failures: ['regression-pass-rate:faq'],
    message: "golden suite 'faq': pass rate 82.0% dropped 12.0 points from 94.0% on 1.1.0 (limit 5.0)",
  },
  { name: 'drop exactly at the limit', input: input({ suiteRuns: [golden({ passRate: 0.89 }), adversarial()] }), allowed: true },
  {
    // 19 of 20 against 20 of 20: the drop computes to 5.000000000000004 points, and must still pass.
    name: 'a drop exactly at the limit that floating point puts a hair above it passes',
    input: input({ suiteRuns: [golden({ passRate: 19 / 20 }), adversarial()], baseline: { version: '1.1.0', suiteRuns: [golden({ passRate: 1 }), adversarial()] } }),
    allowed: true,
  },
  {
    name: 'regression in p95',
    input: input({ suiteRuns: [golden({ p95: 640 }), adversarial()] }),
    allowed: false,
    failures: ['regression-p95:faq'],
    message: "golden suite 'faq': p95 latency 640 ms is 240 ms above 400 ms on 1.1.0 (limit 200 ms)",
  },
  { name: 'a p95 rise between separate runs equal to the limit (200 ms) passes', input: input({ suiteRuns: [golden({ p95: 600 }), adversarial()] }), allowed: true },
  { name: 'a p95 rise between separate runs 1 ms over the limit fails', input: input({ suiteRuns: [golden({ p95: 601 }), adversarial()] }), allowed: false, failures: ['regression-p95:faq'] },
  { name: 'no baseline: first deploy to the env', input: input({ baseline: undefined, suiteRuns: [golden({ passRate: 0.5, p95: 5000 }), adversarial()] }), allowed: true },
  { name: 'suite new since baseline is not a regression', input: input({ suiteRuns: [golden({ suite: 'new-suite', passRate: 0.5 }), adversarial()] }), allowed: true },
  { name: 'already active', input: input({ alreadyActive: true, baseline: { version: '1.2.0', suiteRuns: [golden()] } }), allowed: true },
  {
    name: 'no adversarial run where the policy sets a minimum',
    input: input({ suiteRuns: [golden()], baseline: undefined }),
    allowed: false,
    failures: ['adversarial-pass-rate'],
    message: /no finished adversarial run of 1\.2\.0 on llama-3-8b .*production requires injection resistance of 99\.5% or more; run `promptctl eval support@1\.2\.0`/,
  },
  { name: 'no adversarial run and no minimum set', input: input({ env: 'staging', policy: staging, deployedInPreviousEnv: false, suiteRuns: [golden()], baseline: undefined }), allowed: true },
  { name: 'edited: the edited reason only, no "run eval"', input: input({ edited: true, testedMark: undefined, suiteRuns: [] }), allowed: false, failures: ['not-edited'], message: 'promptctl new support' },
  { name: 'not registered, and the deploy would register it', input: input({ registered: false, willRegister: true }), allowed: true },
];

interface CheckRow {
  name: string;
  input: DeployGateInput;
  /** A check with this id must exist, be ok, be marked skipped or not, and say this. */
  id: string;
  skipped: boolean;
  message: RegExp;
}

/** Lines that must be printed (and must not claim a measurement that was not made). */
const checkRows: CheckRow[] = [
  {
    name: 'the deployed version has no run of a suite the candidate ran (e.g. the suite changed since)',
    input: input({ baseline: { version: '1.1.0', suiteRuns: [adversarial()] } }),
    id: 'regression-not-compared:faq',
    skipped: true,
    message: /golden suite 'faq': not compared with 1\.1\.0: 1\.1\.0 has no finished run of the suite's current content and settings on llama-3-8b; run `promptctl eval support@1\.1\.0`/,
  },
  {
    name: 'the same version under new settings has no run of a suite it ran as served: the candidate side is named, not the deployed one',
    input: input({ version: '1.1.0', suiteRuns: [adversarial()], baseline: { version: '1.1.0', otherSettings: true, suiteRuns: [golden(), adversarial()] } }),
    id: 'regression-not-compared:faq',
    skipped: true,
    message: /^golden suite 'faq': not compared with 1\.1\.0: 1\.1\.0 has no finished run of the suite's current content and settings on llama-3-8b; run `promptctl eval support@1\.1\.0` to compare$/,
  },
  {
    name: 'the deployed version as served has no run of a suite: eval --baseline makes it',
    input: input({ version: '1.1.0', suiteRuns: [golden(), adversarial()], baseline: { version: '1.1.0', otherSettings: true, suiteRuns: [adversarial()] } }),
    id: 'regression-not-compared:faq',
    skipped: true,
    message: /1\.1\.0 has no finished run of the suite's current content under the request settings production serves it with; run `promptctl eval support@1\.1\.0 --baseline production` to compare/,
  },
  {
    name: 'the candidate has no run of a suite the deployed version ran',
    input: input({ suiteRuns: [adversarial()] }),
    id: 'regression-not-compared:faq',
    skipped: true,
    message: /not compared with 1\.1\.0: 1\.2\.0 has no finished run .*`promptctl eval support@1\.2\.0`/,
  },
  {
    name: "the candidate's suite does not apply to the deployed version: nothing to compare, no command",
    input: input({ baseline: { version: '1.1.0', suiteRuns: [adversarial()], applicableSuites: ['attacks'] } }),
    id: 'regression-not-compared:faq',
    skipped: true,
    message: /^golden suite 'faq': not compared with 1\.1\.0: the suite does not apply to 1\.1\.0 \(its `versions:` range leaves it out\), so there is nothing to compare$/,
  },
  {
    // Where on_inconclusive blocks (production's default) it fails: gate-regression-unrun-baseline.test.ts.
    name: 'the suite applies to the deployed version, which has no run of it: the eval command',
    input: input({ policy: { ...production, on_inconclusive: 'warn' }, baseline: { version: '1.1.0', suiteRuns: [adversarial()], applicableSuites: ['attacks', 'faq'] } }),
    id: 'regression-not-compared:faq',
    skipped: true,
    message: /1\.1\.0 has no finished run of the suite's current content and settings on llama-3-8b, so a drop is not ruled out; production lets it through \(on_inconclusive: warn\); run `promptctl eval support@1\.1\.0` to compare$/,
  },
  {
    name: "the deployed version's suite does not apply to the candidate: nothing to compare, no command",
    input: input({ suiteRuns: [adversarial()], applicableSuites: ['attacks'] }),
    id: 'regression-not-compared:faq',
    skipped: true,
    message: /^golden suite 'faq': not compared with 1\.1\.0: the suite does not apply to 1\.2\.0 \(its `versions:` range leaves it out\), so there is nothing to compare$/,
  },
  { name: 'PII leaks without an adversarial run', input: input({ policy: staging, suiteRuns: [golden()], baseline: undefined }), id: 'pii-leaks', skipped: true, message: /^PII leaks: no adversarial run, so not measured \(limit 0\)$/ },
  {
    name: 'system-prompt leaks without an adversarial run',
    input: input({ policy: staging, suiteRuns: [], baseline: undefined }),
    id: 'system-prompt-leaks',
    skipped: true,
    message: /^system-prompt leaks: no adversarial run, so not measured/,
  },
  {
    name: 'the judge changed since the deployed version ran the suite: said, with the judge to restore',
    input: input({ policy: { ...production, on_inconclusive: 'warn' }, baseline: { version: '1.1.0', suiteRuns: [adversarial()], applicableSuites: ['attacks', 'faq'], regraded: [{ suite: 'faq', passed: true, was: { rubric: 'judge-a' }, now: { rubric: 'judge-b' } }] } }),
    id: 'regression-not-compared:faq',
    skipped: true,
    message:
      /1\.1\.0 has no finished run of the suite graded by the current judge on llama-3-8b \(the judge changed since its run, which graded rubrics by judge-a, now judge-b\), so a drop .*; run `promptctl eval support@1\.1\.0` to grade it with the current judge and compare, or restore the judge it was graded by \(\.promptrc\.yaml server\.judge_model, or server\.model for rubrics\)$/,
  },
  {
    name: 'adversarial suites unmeasured because the judge changed since their run',
    input: input({ policy: staging, suiteRuns: [golden()], suiteKinds: { faq: 'golden', attacks: 'adversarial' }, regraded: [{ suite: 'attacks', passed: true, was: { safety: null }, now: { safety: 'judge-b' } }], baseline: undefined }),
    id: 'pii-leaks',
    skipped: true,
    message: /^PII leaks: no adversarial run graded by the current judge \(it changed since the run of 'attacks'\), so not measured \(limit 0\): run `promptctl eval support@1\.2\.0` for 'attacks'$/,
  },
  { name: 'PII leaks measured', input: input(), id: 'pii-leaks', skipped: false, message: /^0 PII leaks \(limit 0\)$/ },
  { name: 'edited: the other gates are not judged', input: input({ edited: true }), id: 'not-judged', skipped: true, message: /other gates were not checked/ },
  { name: 'would be registered', input: input({ registered: false, willRegister: true }), id: 'registered', skipped: false, message: /support@1\.2\.0 is not registered yet: the deploy would register it/ },
];

describe('decideDeploy', () => {
  it.each(rows)('$name', (row) => {
    const decision = decideDeploy(row.input);
    expect(decision.allowed).toBe(row.allowed);
    expect(decision.failures.map(checkId)).toEqual(row.failures ?? []);
    expect(decision.failures).toEqual(decision.checks.filter((c) => !c.ok));
    if (row.message !== undefined) expect(checkMessage(decision.failures[0]!)).toMatch(row.message);
  });

  it.each(checkRows)('says: $name', (row) => {
    const decision = decideDeploy(row.input);
    const found = decision.checks.find((c) => checkId(c) === row.id);
    expect(found, JSON.stringify(decision.checks, null, 1)).toBeDefined();
    expect(found!.ok).toBe(true);
    expect(Boolean(found!.skipped)).toBe(row.skipped);
    expect(checkMessage(found!)).toMatch(row.message);
  });

  it('an edited version gets no hint to run eval (eval refuses an edited version too)', () => {
    const decision = decideDeploy(input({ edited: true, testedMark: undefined, suiteRuns: [] }));
    for (const c of decision.checks) expect(checkMessage(c)).not.toMatch(/promptctl eval|has not been tested/);
  });

  it('marks only unknown and edited versions as not overridable', () => {
    const decision = decideDeploy(input({ registered: false, edited: true, testedMark: undefined, deployedInPreviousEnv: false }));
    const hard = decision.failures.filter((f) => !f.overridable).map(checkId);
    expect(hard).toEqual(['registered', 'not-edited']);
  });

  it('a requires_previous_env that cannot be met (first environment) is not overridable: the fix is the config', () => {
    const decision = decideDeploy(input({ env: 'staging', deployedInPreviousEnv: false }));
    expect(decision.failures.filter((f) => !f.overridable).map(checkId)).toEqual(['previous-env']);
    expect(decideOverride(decision, { force: true, reason: 'r', policy: production })).toMatchObject({ allowed: false, refusal: { reason: 'not-overridable' } });
  });
});

interface OverrideRow {
  name: string;
  input: DeployGateInput;
  opts: { force: boolean; reason?: string; policy?: GatePolicy };
  allowed: boolean;
  override: boolean;
  refusal?: string | RegExp;
}

const overrideRows: OverrideRow[] = [
  { name: 'nothing to override', input: input(), opts: { force: false }, allowed: true, override: false },
  { name: 'force on a passing deploy is not an override', input: input(), opts: { force: true, reason: 'x' }, allowed: true, override: false },
  { name: 'refused without --force', input: input({ testedMark: undefined }), opts: { force: false }, allowed: false, override: false, refusal: /pass --force --reason/ },
  { name: 'override without reason', input: input({ testedMark: undefined }), opts: { force: true }, allowed: false, override: false, refusal: '--force needs --reason "..."' },
  { name: 'override with blank reason', input: input({ testedMark: undefined }), opts: { force: true, reason: '   ' }, allowed: false, override: false, refusal: /needs --reason/ },
  {
    name: 'override not allowed by policy',
    input: input({ deployedInPreviousEnv: false }),
    opts: { force: true, reason: 'hotfix', policy: { ...production, allow_override: false } },
    allowed: false,
    override: false,
    refusal: /does not allow overrides/,
  },
  { name: 'override of edited version refused', input: input({ edited: true }), opts: { force: true, reason: 'hotfix' }, allowed: false, override: false, refusal: /cannot be overridden \(not-edited\)/ },
  { name: 'override of unknown version refused', input: input({ registered: false }), opts: { force: true, reason: 'hotfix' }, allowed: false, override: false, refusal: /registered/ },
  { name: 'override with reason', input: input({ suiteRuns: [golden({ passRate: 0.5 }), adversarial()] }), opts: { force: true, reason: 'incident 42' }, allowed: true, override: true },
];

describe('decideOverride', () => {
  it.each(overrideRows)('$name', (row) => {
    const decision = decideDeploy(row.input);
    const result = decideOverride(decision, { force: row.opts.force, reason: row.opts.reason, policy: row.opts.policy ?? production });
    expect(result.allowed).toBe(row.allowed);
    expect(result.override).toBe(row.override);
    if (row.refusal === undefined) expect(result.refusal).toBeUndefined();
    else expect(result.refusal && overrideRefusalText(result.refusal)).toMatch(row.refusal);
  });
});

/** `n` cases, the first `fail` failing: what a run's per-case facts look like (repeat 1). */
function casesOf(n: number, fail: number, prefix = 'c'): NonNullable<SuiteRunFacts['cases']> {
  return Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, passes: i < fail ? 0 : 1, samples: 1, passed: i >= fail }));
}

/** A golden suite run of `n` cases with `fail` failing, its pass rate agreeing with its cases. */
const goldenCases = (n: number, fail: number, suite = 'faq') => golden({ suite, passRate: (n - fail) / n, cases: casesOf(n, fail) });

interface PairedRow {
  name: string;
  input: DeployGateInput;
  outcome: 'pass' | 'regression' | 'inconclusive';
  method: 'point' | 'paired-score';
  ok: boolean;
  message?: RegExp;
}

const pairedRows: PairedRow[] = [
  {
    name: "the quickstart's 4-case suite against an identical version passes in production",
    input: input({ suiteRuns: [goldenCases(4, 0)], baseline: { version: '1.1.0', suiteRuns: [goldenCases(4, 0)] } }),
    outcome: 'pass', method: 'paired-score', ok: true,
  },
  {
    name: 'the same in staging',
    input: input({ env: 'staging', policy: staging, suiteRuns: [goldenCases(4, 0)], baseline: { version: '1.1.0', suiteRuns: [goldenCases(4, 0)] } }),
    outcome: 'pass', method: 'paired-score', ok: true,
  },
  {
    name: '40 cases, 4 newly failing, none fixed: inconclusive, naming the cases needed; production blocks',
    input: input({ suiteRuns: [goldenCases(40, 4)], baseline: { version: '1.1.0', suiteRuns: [goldenCases(40, 0)] } }),
    outcome: 'inconclusive', method: 'paired-score', ok: false,
    message: /^golden suite 'faq': inconclusive: 4 of 40 cases got worse \(10\.0 points observed, limit 5\.0\); with 40 cases this cannot be told from chance; about [\d,]+ cases would decide it$/,
  },
  {
    name: 'the same in staging warns and lets it through (on_inconclusive defaults to warn before the last environment)',
    input: input({ env: 'staging', policy: staging, suiteRuns: [goldenCases(40, 4)], baseline: { version: '1.1.0', suiteRuns: [goldenCases(40, 0)] } }),
    outcome: 'inconclusive', method: 'paired-score', ok: true,
    message: /not blocking here: on_inconclusive is warn/,
  },
  {
    name: 'on_inconclusive: block in staging restores the strictness',
    input: input({ env: 'staging', policy: GatePolicy.parse({ on_inconclusive: 'block' }), suiteRuns: [goldenCases(40, 4)], baseline: { version: '1.1.0', suiteRuns: [goldenCases(40, 0)] } }),
    outcome: 'inconclusive', method: 'paired-score', ok: false,
  },
  {
    name: 'the same change at 400 cases (40 newly failing) is a regression',
    input: input({ suiteRuns: [goldenCases(400, 40)], baseline: { version: '1.1.0', suiteRuns: [goldenCases(400, 0)] } }),
    outcome: 'regression', method: 'paired-score', ok: false,
    message: /^golden suite 'faq': pass rate 90\.0% dropped 10\.0 points from 100\.0% on 1\.1\.0 \(limit 5\.0\); 40 of 400 cases got worse; the true drop is at least [5-9]\.\d points \(95% confidence\)$/,
  },
  {
    name: 'a drop within the limit passes whatever the size',
    input: input({ suiteRuns: [goldenCases(100, 3)], baseline: { version: '1.1.0', suiteRuns: [goldenCases(100, 0)] } }),
    outcome: 'pass', method: 'paired-score', ok: true,
  },
  {
    name: 'regression_method: point judges the observed drop alone',
    input: input({ policy: { ...production, regression_method: 'point' }, suiteRuns: [goldenCases(40, 4)], baseline: { version: '1.1.0', suiteRuns: [goldenCases(40, 0)] } }),
    outcome: 'regression', method: 'point', ok: false,
    message: /^golden suite 'faq': pass rate 90\.0% dropped 10\.0 points from 100\.0% on 1\.1\.0 \(limit 5\.0\)$/,
  },
  {
    // The drop computes to 5.000000000000004 points: at the limit, so it passes (a drop is a regression only beyond it).
    name: 'regression_method: point: 19 of 20 against 20 of 20, a drop exactly at the limit of 5 points, passes',
    input: input({ policy: { ...production, regression_method: 'point' }, suiteRuns: [goldenCases(20, 1)], baseline: { version: '1.1.0', suiteRuns: [goldenCases(20, 0)] } }),
    outcome: 'pass', method: 'point', ok: true,
  },
  {
    name: 'runs without per-case facts fall back to the point rule',
    input: input({ suiteRuns: [golden({ passRate: 0.8 })], baseline: { version: '1.1.0', suiteRuns: [golden({ passRate: 0.9 })] } }),
    outcome: 'regression', method: 'point', ok: false,
  },
  {
    name: 'repeats: each case is still one verdict per side, judged by the paired score path; the drop is the pass-rate drop',
    input: input({
      suiteRuns: [golden({ passRate: 0.9, cases: casesOf(400, 40).map((c) => ({ ...c, samples: 3, passes: c.passed ? 3 : 1 })) })],
      baseline: { version: '1.1.0', suiteRuns: [golden({ passRate: 1, cases: casesOf(400, 0).map((c) => ({ ...c, samples: 3, passes: 3 })) })] },
    }),
    outcome: 'regression', method: 'paired-score', ok: false,
    message: /dropped 10\.0 points .* 40 of 400 cases got worse/,
  },
];

describe('the paired regression check', () => {
  it.each(pairedRows)('$name', (row) => {
    const check = decideDeploy(row.input).checks.find((c) => c.kind === 'regression-pass-rate');
    expect(check, 'a pass-rate check').toBeDefined();
    if (check?.kind !== 'regression-pass-rate') return;
    expect(check.outcome).toBe(row.outcome);
    expect(check.method).toBe(row.method);
    expect(check.ok).toBe(row.ok);
    expect(Boolean(check.warn)).toBe(row.outcome === 'inconclusive' && row.ok);
    if (row.message) expect(checkMessage(check)).toMatch(row.message);
  });

  it('corrects several suites of one version with Holm: the bound is taken at a stricter level', () => {
    const suiteRuns = [goldenCases(400, 40, 'faq'), goldenCases(400, 40, 'billing')].map((r, i) => ({ ...r, suite: i ? 'billing' : 'faq' }));
    const base = [goldenCases(400, 0, 'faq'), goldenCases(400, 0, 'billing')].map((r, i) => ({ ...r, suite: i ? 'billing' : 'faq' }));
    const checks = decideDeploy(input({ suiteRuns, baseline: { version: '1.1.0', suiteRuns: base } })).checks.filter((c) => c.kind === 'regression-pass-rate');
    expect(checks).toHaveLength(2);
    const levels: number[] = [];
    for (const c of checks) {
      if (c.kind !== 'regression-pass-rate' || c.method === 'point') throw new Error('paired expected');
      expect(c.familySize).toBe(2);
      expect(c.outcome).toBe('regression');
      expect(checkMessage(c)).toMatch(/Holm-corrected over 2 suites/);
      levels.push(c.confidence);
    }
    // Holm's first step tests at 1 - 0.05/2, the next at 1 - 0.05.
    expect(levels.sort()).toEqual([0.95, 0.975]);
  });

  it("Holm's family is every suite that applies, not only those with runs to compare: a suite not run yet counts", () => {
    const suiteRuns = [goldenCases(400, 40, 'faq')].map((r) => ({ ...r, suite: 'faq' }));
    const base = [goldenCases(400, 0, 'faq')].map((r) => ({ ...r, suite: 'faq' }));
    const check = decideDeploy(input({ suiteRuns, applicableSuites: ['faq', 'billing'], baseline: { version: '1.1.0', suiteRuns: base } })).checks.find((c) => c.kind === 'regression-pass-rate');
    if (check?.kind !== 'regression-pass-rate' || check.method === 'point') throw new Error('paired expected');
    expect(check.familySize).toBe(2);
    expect(check.confidence).toBe(0.975);
    expect(checkMessage(check)).toMatch(/Holm-corrected over 2 suites/);
  });

  it('never shows a bound or a drop that contradicts the outcome beside the limit', () => {
    for (const row of pairedRows) {
      const check = decideDeploy(row.input).checks.find((c) => c.kind === 'regression-pass-rate');
      if (check?.kind !== 'regression-pass-rate' || check.outcome === 'pass') continue;
      const text = checkMessage(check);
      const observed = Number(/(?:dropped|\() ?([\d.]+) points/.exec(text)![1]);
      const limit = Number(/limit ([\d.]+)/.exec(text)![1]);
      expect(observed).toBeGreaterThan(limit);
      const bound = /at least ([\d.]+) points/.exec(text);
      if (bound) expect(Number(bound[1])).toBeGreaterThan(limit);
    }
  });
});

/** `n` request latencies in ms from `base` (varied, so the p95 is not every request's). */
const latencies = (n: number, base: number): number[] => Array.from({ length: n }, (_, i) => base + ((i * 7) % 97));

interface MeasuredRow {
  name: string;
  input: DeployGateInput;
  outcome: 'pass' | 'regression' | 'inconclusive';
  ok: boolean;
}

/** An interleaved latency measurement of suite 'faq' (eval --measure-latency): it decides the p95 check. */
const measuredInput = (baseline: number[], candidate: number[], over: Partial<DeployGateInput> = {}) =>
  input({ latencyMeasurements: [{ suite: 'faq', kind: 'golden', baseline, candidate }], ...over });

const measuredRows: MeasuredRow[] = [
  {
    name: 'a measured rise equal to the limit (every request 200 ms slower) passes',
    input: measuredInput(latencies(40, 100), latencies(40, 300)),
    outcome: 'pass',
    ok: true,
  },
  {
    name: 'a measured rise far beyond the limit on 40 requests per arm is a regression',
    input: measuredInput(latencies(40, 100), latencies(40, 5000)),
    outcome: 'regression',
    ok: false,
  },
  {
    // Too few requests to bound a p95: inconclusive, which production (the last environment) blocks.
    name: 'a measured rise judged inconclusive blocks in production, where on_inconclusive is block',
    input: measuredInput(latencies(5, 100), latencies(5, 5000)),
    outcome: 'inconclusive',
    ok: false,
  },
  {
    name: 'the same inconclusive rise passes with a warning in staging, where on_inconclusive is warn',
    input: measuredInput(latencies(5, 100), latencies(5, 5000), { env: 'staging', policy: staging, deployedInPreviousEnv: false }),
    outcome: 'inconclusive',
    ok: true,
  },
];

describe('the measured p95 latency check', () => {
  it.each(measuredRows)('$name', (row) => {
    const decision = decideDeploy(row.input);
    const check = decision.checks.find((c) => c.kind === 'p95-latency');
    if (check?.kind !== 'p95-latency') throw new Error(`no p95 check in ${JSON.stringify(decision.checks)}`);
    expect(check.measured?.outcome).toBe(row.outcome);
    expect(check.ok).toBe(row.ok);
    expect(Boolean(check.warn)).toBe(row.ok && row.outcome !== 'pass');
    expect(decision.failures.map(checkId).includes('regression-p95:faq')).toBe(!row.ok);
  });
});

describe('a latency measurement of some cases only', () => {
  const p95Check = (i: DeployGateInput) => {
    const check = decideDeploy(i).checks.find((c) => c.kind === 'p95-latency');
    if (check?.kind !== 'p95-latency') throw new Error('no p95 check');
    return check;
  };
  const selected = (baseline: number[], candidate: number[]) => [{ suite: 'faq', kind: 'golden' as const, baseline, candidate, selected: { cases: 1, of: 40 } }];

  it('never clears a rise between separate runs: the check still fails, cannot be forced, and names the selection', () => {
    const check = p95Check(input({ suiteRuns: [golden({ p95: 5000 }), adversarial()], latencyMeasurements: selected(latencies(40, 100), latencies(40, 100)) }));
    expect(check).toMatchObject({ ok: false, overridable: false, selected: { cases: 1, of: 40 } });
    expect(check.measured).toBeUndefined();
    expect(checkMessage(check)).toMatch(
      /in separate runs, which a busy server alone can cause; the latest measurement ran only 1 of the suite's 40 cases, which decides nothing \(deploy judges a measurement of every case\); measure every case \(--force does not skip this\): `promptctl eval support@1\.2\.0 --suite faq --baseline production --measure-latency`$/,
    );
  });

  it("names the command that measures exactly what it judges: the suite, and the model the environment serves when not the version's own", () => {
    const rise = { suiteRuns: [golden({ p95: 5000 }), adversarial()] };
    expect(checkMessage(p95Check(input(rise)))).toMatch(/: `promptctl eval support@1\.2\.0 --suite faq --baseline production --measure-latency`$/);
    expect(checkMessage(p95Check(input({ ...rise, plainEvalModels: ['mistral-7b'] })))).toMatch(/: `promptctl eval support@1\.2\.0 --model llama-3-8b --suite faq --baseline production --measure-latency`$/);
    // The refusal's hint is that command too.
    expect(evalCommandOf(p95Check(input(rise)))).toBe('promptctl eval support@1.2.0 --suite faq --baseline production --measure-latency');
  });

  it('is no verdict either way: a rise it shows does not block what separate runs clear', () => {
    const check = p95Check(input({ latencyMeasurements: selected(latencies(40, 100), latencies(40, 5000)) }));
    expect(check).toMatchObject({ ok: true, selected: { cases: 1, of: 40 } });
    expect(check.measured).toBeUndefined();
    expect(checkMessage(check)).toMatch(/; the latest measurement ran only 1 of the suite's 40 cases, which decides nothing/);
  });
});

describe('a judge changed since the runs (.promptrc.yaml server.judge_model)', () => {
  const faqRegraded = { suite: 'faq', was: { rubric: 'judge-a' }, now: { rubric: 'judge-b' } };
  const change = /the judge changed since its run, which graded rubrics by judge-a, now judge-b/;
  const restore = /restore the judge it was graded by \(\.promptrc\.yaml server\.judge_model, or server\.model for rubrics\)/;

  it('a suite without a run graded as now: the tested and minimum lines name the judge change and both ways out', () => {
    const decision = decideDeploy(
      input({ policy: { ...production, min_golden_pass_rate: 0.9 }, suiteRuns: [adversarial()], applicableSuites: ['faq', 'attacks'], suiteKinds: { faq: 'golden', attacks: 'adversarial' }, regraded: [{ ...faqRegraded, passed: true }] }),
    );
    const tested = checkMessage(decision.checks.find((c) => c.kind === 'tested')!);
    expect(tested).toMatch(/'faq' has no run graded by the current judge \(the judge changed since its run, which graded rubrics by judge-a, now judge-b\); run `promptctl eval support@1\.2\.0` to grade it with the current judge, or restore the judge/);
    const minimum = checkMessage(decision.checks.find((c) => c.kind === 'golden-run-missing')!);
    expect(minimum).toMatch(/^golden suite 'faq': no finished run of 1\.2\.0 on llama-3-8b graded by the current judge \(/);
    expect(minimum).toMatch(change);
    expect(minimum).toMatch(restore);
  });

  it('a suite that failed under the new judge and passed under the old: restoring the judge is named beside a new version', () => {
    const failed = adversarial({ passRate: 0.5, resistance: 0.5, passed: false });
    const regraded = [{ suite: 'attacks', passed: true, was: { safety: null }, now: { safety: 'judge-b' } }];
    const stale = checkMessage(decideDeploy(input({ suiteRuns: [golden(), failed], applicableSuites: ['faq', 'attacks'], regraded })).failures[0]!);
    expect(stale).toMatch(
      /'attacks' failed graded by the current judge, but passed graded by the one before \(the judge changed since its run, which graded refusal checks by the refusal patterns, now judge-b\); restore the judge it passed under \(.*\) if the new one misjudges, or fix the prompt in a new version \(`promptctl new support`\)$/,
    );
    const unmarked = checkMessage(decideDeploy(input({ testedMark: undefined, suiteRuns: [golden(), failed], regraded })).failures[0]!);
    expect(unmarked).toMatch(/^1\.2\.0 is not tested on llama-3-8b: suite 'attacks' failed graded by the current judge, but passed graded by the one before .*restore the judge it passed under/);
    // A suite that failed under the old judge too: the judge is no way out.
    const both = checkMessage(decideDeploy(input({ testedMark: undefined, suiteRuns: [golden(), failed] })).failures[0]!);
    expect(both).not.toMatch(/judge/);
  });
});

describe('a minimum with no run to judge', () => {
  it('is said as written (0.9999 is 99.99%, as the line with a run says it), never truncated to a looser 99.9%', () => {
    const decision = decideDeploy(input({ policy: GatePolicy.parse({ min_golden_pass_rate: 0.9999, min_adversarial_pass_rate: 0.9999 }), suiteRuns: [], applicableSuites: ['faq', 'attacks'], suiteKinds: { faq: 'golden', attacks: 'adversarial' } }));
    const said = decision.checks.filter((c) => c.kind === 'golden-run-missing' || c.kind === 'adversarial-run-missing').map(checkMessage);
    expect(said).toHaveLength(2);
    for (const line of said) {
      expect(line).toContain('99.99%');
      expect(line).not.toContain('99.9% ');
    }
    const usual = decideDeploy(input({ policy: GatePolicy.parse({ min_golden_pass_rate: 0.95 }), suiteRuns: [], applicableSuites: ['faq'], suiteKinds: { faq: 'golden' } }));
    expect(checkMessage(usual.checks.find((c) => c.kind === 'golden-run-missing')!)).toContain('the 95.0% minimum');
  });
});

describe('the minimums and the leak limits on an incomplete run', () => {
  // 70 of 190 attacks never answered (HTTP 500): resistance and leaks count the 120 judged only.
  const unanswered = {
    summary: { verdict: 'incomplete' as const, cases: 190, passed: 120, failed: 0, errored: 70, notRun: 0, samples: 190, errors: { samples: 70, maxRate: 0.05 } },
    threshold: 0.995,
    attacks: { notJudged: 70, of: 190 },
  };
  const attacks = (over: Partial<SuiteRunFacts> = {}) => adversarial({ passRate: 120 / 190, resistance: 1, passed: false, incomplete: true, incompleteBy: unanswered, ...over });
  // 4 of 20 golden cases errored: 80% passed, over its 50% threshold, yet 20% of samples errored.
  const errored = { summary: { verdict: 'incomplete' as const, cases: 20, passed: 16, failed: 0, errored: 4, notRun: 0, samples: 20, errors: { samples: 4, maxRate: 0.05 } }, threshold: 0.5 };
  const faq = (over: Partial<SuiteRunFacts> = {}) => golden({ passRate: 0.8, passed: false, incomplete: true, incompleteBy: errored, ...over });
  const policy = GatePolicy.parse({ requires_tested: false, min_adversarial_pass_rate: 0.995, min_golden_pass_rate: 0.5 });
  const of = (suiteRuns: SuiteRunFacts[]) => decideDeploy(input({ policy, suiteRuns, baseline: undefined }));
  const run = 'run `promptctl eval support@1.2.0` again';

  it.each([
    {
      name: 'adversarial: resistance 100% of the attacks judged meets no minimum, and 0 leaks is no measurement',
      runs: [golden(), attacks()],
      failures: ['adversarial-pass-rate:attacks', 'pii-leaks', 'system-prompt-leaks'],
      said: [
        `adversarial suite 'attacks' is incomplete: 70 of 190 attacks were not judged; 36.8% of samples ended in errors (at most 5% allowed); an incomplete run meets no minimum (injection resistance 99.5%, min_adversarial_pass_rate): ${run}`,
        `0 PII leaks in the attacks judged (limit 0), but 'attacks' is incomplete: 70 of 190 attacks were not judged; what was not judged may have leaked: ${run}`,
        `0 system-prompt leaks in the attacks judged (limit 0), but 'attacks' is incomplete: 70 of 190 attacks were not judged; what was not judged may have leaked: ${run}`,
      ],
    },
    {
      name: 'golden: a pass rate over the minimum (errored cases counted as not passing) meets none either, as the adversarial one',
      runs: [faq(), adversarial()],
      failures: ['golden-pass-rate:faq'],
      said: [`golden suite 'faq' is incomplete: 20% of samples ended in errors (at most 5% allowed); an incomplete run meets no minimum (50.0%): ${run}`],
    },
    {
      name: 'golden below the minimum: still incomplete, run again (not a failure of the prompt)',
      runs: [faq({ passRate: 0.3 }), adversarial()],
      failures: ['golden-pass-rate:faq'],
      said: [/^golden suite 'faq' is incomplete: .*: run `promptctl eval support@1\.2\.0` again$/],
    },
    {
      name: 'leaks found in an incomplete run are found: the limit fails on them, as before',
      runs: [golden(), attacks({ piiLeaks: 2 })],
      failures: ['adversarial-pass-rate:attacks', 'pii-leaks', 'system-prompt-leaks'],
      said: [/is incomplete/, "2 PII leaks found ('attacks': 2), more than the limit of 0", /^0 system-prompt leaks in the attacks judged/],
    },
    {
      name: "a run without its counts (a gone suite's): said incomplete all the same",
      runs: [golden(), attacks({ incompleteBy: undefined })],
      failures: ['adversarial-pass-rate:attacks', 'pii-leaks', 'system-prompt-leaks'],
      said: [/^adversarial suite 'attacks' is incomplete: server errors decided it, or cases did not run; an incomplete run meets no minimum/, /but 'attacks' is incomplete: server errors decided it, or cases did not run; what was not judged/, /./],
    },
  ])('$name', ({ runs, failures, said }) => {
    const decision = of(runs);
    expect(decision.allowed).toBe(false);
    expect(decision.failures.map(checkId)).toEqual(failures);
    decision.failures.forEach((c, i) => expect(checkMessage(c)).toMatch(said[i]!));
    // The refusal's hint: the eval again, never a new version (a leak found is the prompt's: no eval named for it).
    for (const c of decision.failures) expect(evalCommandOf(c)).toBe(c.kind === 'leaks' && c.total > c.max ? undefined : 'promptctl eval support@1.2.0');
  });

  it('complete runs are judged as before', () => {
    const decision = of([golden({ passRate: 0.8, passed: true }), adversarial({ resistance: 1, passed: true })]);
    expect(decision.allowed).toBe(true);
    expect(decision.checks.filter((c) => c.kind === 'golden-pass-rate' || c.kind === 'adversarial-minimum' || c.kind === 'leaks').map(checkMessage)).toEqual([
      "golden suite 'faq': pass rate 80.0% meets the minimum 50.0%",
      "adversarial suite 'attacks': injection resistance 100.0% meets the minimum 99.5% (min_adversarial_pass_rate)",
      '0 PII leaks (limit 0)',
      '0 system-prompt leaks (limit 0)',
    ]);
  });
});
