import { describe, expect, it } from 'vitest';
import { decideDeploy, type DeployGateInput, type SuiteRunFacts } from '../../src/core/gates.js';
import { GatePolicy } from '../../src/core/schemas/config.js';
import { checkId, checkLine } from '../../src/render/gate-text.js';
import { deployRefusal } from '../../src/render/deploy-text.js';

/**
 * A regression comparison the deployed version has no current run for (its suite gained a case and
 * only the candidate was evaluated again) is inconclusive: where `on_inconclusive` is block it blocks,
 * naming the eval of the deployed version; elsewhere it stays a skip that says it let the deploy through.
 */

const HASH = 'a'.repeat(64);
const golden = (suite = 'golden'): SuiteRunFacts => ({ suite, kind: 'golden', passRate: 0.75, p95: 40, piiLeaks: 0, systemPromptLeaks: 0 });
const adversarial: SuiteRunFacts = { suite: 'attacks', kind: 'adversarial', passRate: 1, resistance: 1, p95: 40, piiLeaks: 0, systemPromptLeaks: 0 };

function input(env: string, over: Partial<DeployGateInput> = {}): DeployGateInput {
  return {
    promptId: 'support', version: '1.2.0', env, envOrder: ['staging', 'production'],
    policy: GatePolicy.parse({ requires_tested: false }), model: 'm', registered: true, edited: false, currentHash: HASH,
    deployedInPreviousEnv: true, suiteRuns: [golden(), adversarial], applicableSuites: ['golden', 'attacks'],
    baseline: { version: '1.1.0', suiteRuns: [adversarial], applicableSuites: ['golden', 'attacks'] },
    alreadyActive: false, ...over,
  };
}

describe('a suite the deployed version has no current run of', () => {
  it.each([
    { name: 'production (block): refused, with the eval of the deployed version', env: 'production', allowed: false, line: /^ {2}FAIL golden suite 'golden': inconclusive, not compared with 1\.1\.0: 1\.1\.0 has no finished run .* so a drop is not ruled out and production blocks it \(on_inconclusive: block\); run `promptctl eval support@1\.1\.0` to compare$/ },
    { name: 'staging (warn): a skip that says it let the deploy through', env: 'staging', allowed: true, line: /^ {2}skip golden suite 'golden': inconclusive, not compared .*; staging lets it through \(on_inconclusive: warn\); run `promptctl eval support@1\.1\.0` to compare$/ },
    { name: 'block set in staging too', env: 'staging', over: { policy: GatePolicy.parse({ requires_tested: false, on_inconclusive: 'block' }) }, allowed: false, line: /^ {2}FAIL .*staging blocks it/ },
  ])('$name', ({ env, over, allowed, line }) => {
    const decision = decideDeploy(input(env, over));
    expect(decision.allowed).toBe(allowed);
    const check = decision.checks.find((c) => checkId(c) === 'regression-not-compared:golden')!;
    expect(checkLine(check)).toMatch(line);
  });

  it('the refusal names the eval that makes it comparable', () => {
    const decision = decideDeploy(input('production'));
    const refusal = deployRefusal({ promptId: 'support', version: '1.2.0', env: 'production', allowed: false, override: false, dryRun: false, previousVersion: '1.1.0', checks: decision.checks });
    expect(refusal.hint).toBe('run `promptctl eval support@1.1.0` first');
  });

  it.each([
    { name: 'the candidate lacks the run: still a skip', over: { suiteRuns: [adversarial], baseline: { version: '1.1.0', suiteRuns: [golden(), adversarial] } } },
    { name: "the deployed version's file is gone (which suites apply to it is unknown): a skip, as no eval could run it", over: { baseline: { version: '1.1.0', suiteRuns: [adversarial] } } },
    { name: "the suite's range leaves out the deployed version: nothing to compare, a skip", over: { baseline: { version: '1.1.0', suiteRuns: [adversarial], applicableSuites: ['attacks'] } } },
  ])('$name', ({ over }) => {
    const decision = decideDeploy(input('production', over));
    expect(decision.allowed).toBe(true);
    expect(decision.checks.find((c) => checkId(c) === 'regression-not-compared:golden')).toMatchObject({ ok: true, skipped: true });
  });
});

describe('a suite that applies now and neither side has a current run of', () => {
  // Both versions ran the suite before a case was added to it: no run of its current content anywhere.
  const neither = { suiteRuns: [adversarial], baseline: { version: '1.1.0', suiteRuns: [adversarial], applicableSuites: ['golden', 'attacks'] }, suiteKinds: { golden: 'golden', attacks: 'adversarial' } as const };

  it.each(['staging', 'production'])('%s: listed as not compared, naming the eval of the candidate, never left out (a skip, as when the candidate alone lacks the run)', (env) => {
    const decision = decideDeploy(input(env, neither));
    expect(decision.allowed).toBe(true);
    const check = decision.checks.find((c) => checkId(c) === 'regression-not-compared:golden');
    expect(check).toMatchObject({ kind: 'regression-not-compared', missing: '1.2.0', why: 'no-run', ok: true, skipped: true });
    expect(checkLine(check!)).toMatch(/^ {2}skip golden suite 'golden': not compared with 1\.1\.0: 1\.2\.0 has no finished run/);
  });

  it('without the kinds of the suites (callers that know only the runs), nothing more is said', () => {
    const { suiteKinds: _, ...unknown } = neither;
    expect(decideDeploy(input('staging', unknown)).checks.some((c) => checkId(c) === 'regression-not-compared:golden')).toBe(false);
  });
});

describe('a version no suite applies to', () => {
  it("is untested with no eval to name: the refusal says to cover it with a suite, not to run an eval that refuses it", () => {
    const decision = decideDeploy(input('production', { policy: GatePolicy.parse({ requires_tested: true }), applicableSuites: [], suiteRuns: [], baseline: undefined }));
    const tested = decision.checks.find((c) => c.kind === 'tested')!;
    expect(tested).toMatchObject({ ok: false, state: 'untested', noSuite: true });
    expect(checkLine(tested)).toBe("  FAIL 1.2.0 has not been tested on m, and no suite applies to it (no suite of support covers it with its `versions:` range, or it has none): add a suite that covers it, or widen a suite's range, then evaluate it");
    const refusal = deployRefusal({ promptId: 'support', version: '1.2.0', env: 'production', allowed: false, override: false, dryRun: false, previousVersion: null, checks: decision.checks });
    expect(refusal.hint).not.toMatch(/promptctl eval/);
  });
});
