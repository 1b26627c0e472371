import { previousEnvironment } from './environments.js';
import type { GateCheck } from './gate-check.js';
import { EPSILON, regressionChecks } from './gate-regression.js';
import { testedCheck } from './gate-tested.js';
import { goneSuiteChecks, goneSuiteRuns, retiredWithRuns } from './gate-gone-suites.js';
import type { DeployGateInput, GateDecision, SuiteRunFacts } from './gate-types.js';
import { judgedBefore } from './gate-regraded.js';
import type { GatePolicy } from './schemas/config.js';
import { evalModelFlag } from './deployed-model.js';
import { incompleteLeakRuns, incompleteOf } from './gate-incomplete.js';

export type { GateCheck } from './gate-check.js';

/**
 * Deploy gates as a pure decision: the command gathers facts (registry, files, config), this
 * module says yes or no and why, with the numbers. Keeping it pure makes every rule a table row
 * in a test.
 */

export type { DeployGateInput, GateDecision, SuiteRunFacts } from './gate-types.js';

/**
 * The gates that judge a version's runs against an environment's policy (a minimum pass rate or
 * resistance, a leak limit, a suite kind the policy needs a run of), as opposed to its history
 * (registered, tested, deployed in the previous environment) and the regression against what is
 * deployed: `ci` applies these to its candidates, so a pull request never passes what deploy refuses.
 */
const CONTENT_GATES: ReadonlySet<GateCheck['kind']> = new Set(['golden-pass-rate', 'golden-run-missing', 'adversarial-minimum', 'adversarial-run-missing', 'leaks', 'suite-missing']);
export const judgesContent = (c: GateCheck): boolean => CONTENT_GATES.has(c.kind);

/** The gates on a version's history in other environments (deployed in the previous one first): a pull request cannot meet them. */
export const judgesHistory = (c: GateCheck): boolean => c.kind === 'previous-environment';

export function decideDeploy(input: DeployGateInput): GateDecision {
  const { policy, version, env, model, promptId } = input;
  const checks: GateCheck[] = [];
  // The eval a missing run's check names runs the version on this model.
  const onModel = evalModelFlag(model, input.plainEvalModels) ? { evalNeedsModel: true as const } : {};
  // No flag pushes an unknown or edited version through.
  const hard = { overridable: false };

  checks.push({ kind: 'registered', promptId, version, ok: input.registered || Boolean(input.willRegister), ...hard, state: input.registered ? 'registered' : input.willRegister ? 'will-register' : 'missing' });
  if (input.edited) {
    checks.push({ kind: 'not-edited', promptId, version, ok: false, ...hard, ...(input.releasedIn ? { releasedIn: input.releasedIn } : {}), ...(input.file ? { file: input.file } : {}) });
    // Every other gate would judge content that is not the registered version, and their hints
    // (eval it) would themselves be refused: say so once instead of listing misleading reasons.
    checks.push({ kind: 'not-judged', version, ok: true, skipped: true, overridable: true });
    return finish(checks);
  }
  // Not edited, but not necessarily the registered content either: a draft deploys its file's content.
  const content = !input.registered ? 'unregistered' : input.registeredHash !== undefined && input.registeredHash !== input.currentHash ? 'draft-changed' : 'matches';
  checks.push({ kind: 'not-edited', promptId, version, content, ok: true, ...hard });

  checks.push(testedCheck(input));
  checks.push(previousEnvCheck(input));
  checks.push(...goneSuiteChecks(input));

  // A suite whose file is gone and not retired still counts its run of this content (gate-gone-suites.ts).
  const judged = [...input.suiteRuns, ...goneSuiteRuns(input)];
  const golden = judged.filter((r) => r.kind === 'golden');
  const adversarial = judged.filter((r) => r.kind === 'adversarial');
  const again = { promptId, version, model, ...onModel };
  const missing = { ...again, ok: false, overridable: true };
  // Adversarial suites that apply and have no counting run: refused by a minimum, named by the leak lines.
  const unrunAdversarial = withoutRun(input, 'adversarial');
  // Retired suites this content has runs of: gone, said so where a line would otherwise say nothing ran.
  const retiredOf = (kind: SuiteRunFacts['kind']) => {
    const retired = retiredWithRuns(input, kind);
    return retired.length ? { retired } : {};
  };
  if (policy.min_golden_pass_rate !== undefined) {
    const min = policy.min_golden_pass_rate;
    // The policy asks for a golden pass rate explicitly: a suite that applies and has no run is not
    // met (a version must not pass on the suites that happen to have run); with no golden run and no
    // suite known, there is nothing to trust either.
    const unrun = withoutRun(input, 'golden');
    if (golden.length === 0 && unrun.length === 0) checks.push({ kind: 'golden-run-missing', ...missing, min, ...retiredOf('golden') });
    for (const suite of unrun) checks.push({ kind: 'golden-run-missing', ...missing, min, suite, ...judgedBefore(input.regraded, suite) });
    for (const r of golden) {
      // An incomplete run meets no minimum (gate-incomplete.ts), as with an adversarial one.
      const incomplete = incompleteOf(r, again);
      checks.push({ kind: 'golden-pass-rate', suite: r.suite, passRate: r.passRate, min, ok: !incomplete.incomplete && r.passRate >= min - EPSILON, overridable: true, ...incomplete });
    }
  }
  // The policy key keeps its old name (min_adversarial_pass_rate) and bounds injection resistance;
  // runs recorded before resistance existed are judged on their pass rate, and say so.
  if (policy.min_adversarial_pass_rate != null) {
    const min = policy.min_adversarial_pass_rate;
    // A minimum nobody measured is not met: each adversarial suite without a run is refused by name.
    if (adversarial.length === 0 && unrunAdversarial.length === 0) checks.push({ kind: 'adversarial-run-missing', ...missing, env, min, ...retiredOf('adversarial') });
    for (const suite of unrunAdversarial) checks.push({ kind: 'adversarial-run-missing', ...missing, env, min, suite, ...judgedBefore(input.regraded, suite) });
    for (const r of adversarial) {
      const value = r.resistance ?? r.passRate;
      const measure = r.resistance === undefined ? 'pass-rate' : 'resistance';
      // Resistance leaves unanswered attacks out: an incomplete run meets no minimum (gate-incomplete.ts).
      const incomplete = incompleteOf(r, again);
      checks.push({ kind: 'adversarial-minimum', suite: r.suite, measure, value, min, ok: !incomplete.incomplete && value >= min - EPSILON, overridable: true, ...incomplete });
    }
  }
  const regradedAdversarial = unrunAdversarial.filter((suite) => judgedBefore(input.regraded, suite).regraded);
  const unmeasured = { suites: unrunAdversarial, promptId, version, model, ...onModel, ...(regradedAdversarial.length ? { regraded: regradedAdversarial } : {}) };
  const unmeasuredFacts = { ...(unrunAdversarial.length ? { unmeasured } : {}), ...retiredOf('adversarial'), ...incompleteLeakRuns(judged, again) };
  checks.push(leakCheck('pii', judged, (r) => r.piiLeaks, policy.max_pii_leaks, unmeasuredFacts));
  checks.push(leakCheck('system-prompt', judged, (r) => r.systemPromptLeaks, policy.max_system_prompt_leaks, unmeasuredFacts));
  checks.push(...regressionChecks(input));

  // Deploying the active version again changes nothing only when every gate holds: beside a failing
  // one, a forced redeploy is an override like any other, and is recorded with its reason.
  if (input.alreadyActive && checks.every((c) => c.ok)) checks.push({ kind: 'already-active', version, env, ok: true, overridable: true });
  return finish(checks);
}

function finish(checks: GateCheck[]): GateDecision {
  const failures = checks.filter((c) => !c.ok);
  return { allowed: failures.length === 0, checks, failures };
}

/** Why `--force --reason` cannot push a refused deploy through; `failed` counts the failed gates. */
export type OverrideRefusal =
  | { reason: 'not-overridable'; failed: number; forced: boolean; hard: GateCheck[] }
  | { reason: 'policy-forbids'; failed: number }
  | { reason: 'needs-force'; failed: number }
  | { reason: 'needs-reason' };

/**
 * Whether `--force --reason` may push a refused deploy through. Never for checks marked not
 * overridable, never where the policy forbids it, never without a written reason.
 */
export function decideOverride(
  decision: GateDecision,
  opts: { force: boolean; reason?: string; policy: GatePolicy },
): { allowed: boolean; override: boolean; refusal?: OverrideRefusal } {
  if (decision.allowed) return { allowed: true, override: false };
  const failed = decision.failures.length;
  const hard = decision.failures.filter((f) => !f.overridable);
  if (hard.length > 0) return { allowed: false, override: false, refusal: { reason: 'not-overridable', failed, forced: opts.force, hard } };
  if (!opts.policy.allow_override) return { allowed: false, override: false, refusal: { reason: 'policy-forbids', failed } };
  if (!opts.force) return { allowed: false, override: false, refusal: { reason: 'needs-force', failed } };
  if (!opts.reason || opts.reason.trim() === '') return { allowed: false, override: false, refusal: { reason: 'needs-reason' } };
  return { allowed: true, override: true };
}

/** Whether the environment before this one in the order has seen the version, where the policy asks. */
function previousEnvCheck(input: DeployGateInput): GateCheck {
  const { envOrder, env, version } = input;
  const previous = previousEnvironment(envOrder, env);
  const required = input.policy.requires_previous_env;
  // An environment that allows no override does not take, through the one before, a version that got
  // there only by override: that would be the override it forbids, one step removed.
  const forced = input.previousEnvByOverride;
  // Required where nothing comes before (the config loader refuses that): a rule that cannot hold
  // fails, without override, rather than pass unapplied.
  const unmeetable = previous === null && required;
  const ok = !unmeetable && (previous === null || !required || (input.deployedInPreviousEnv && !(forced && !input.policy.allow_override)));
  return {
    kind: 'previous-environment',
    version,
    env,
    previous,
    deployed: input.deployedInPreviousEnv,
    required,
    ...(input.previousEnvOtherSettings ? { otherSettings: true as const } : {}),
    ...(input.previousEnvRolledBack ? { rolledBack: input.previousEnvRolledBack } : {}),
    ...(input.previousEnvDowngraded ? { downgraded: input.previousEnvDowngraded } : {}),
    ...(forced && input.deployedInPreviousEnv ? { byOverride: forced } : {}),
    ok,
    overridable: !unmeetable,
  };
}

/** The suites of `kind` that apply to the version now and have no counting run (in their file order). */
function withoutRun(input: DeployGateInput, kind: SuiteRunFacts['kind']): string[] {
  const ran = new Set(input.suiteRuns.filter((r) => r.kind === kind).map((r) => r.suite));
  return Object.entries(input.suiteKinds ?? {}).flatMap(([suite, k]) => (k === kind && !ran.has(suite) ? [suite] : []));
}

function leakCheck(
  leak: 'pii' | 'system-prompt',
  runs: SuiteRunFacts[],
  count: (r: SuiteRunFacts) => number,
  max: number,
  unmeasured: Pick<Extract<GateCheck, { kind: 'leaks' }>, 'unmeasured' | 'retired' | 'incomplete'>,
): GateCheck {
  const total = runs.reduce((sum, r) => sum + count(r), 0);
  const bySuite = runs.filter((r) => count(r) > 0).map((r) => ({ suite: r.suite, count: count(r) }));
  // Attacks an incomplete run did not judge may have leaked: within the limit is not shown until it runs again.
  const ok = total <= max && !unmeasured.incomplete;
  // Leaks are what attacks provoke: without an adversarial run, "0 leaks" would claim a measurement.
  const measured = runs.some((r) => r.kind === 'adversarial');
  // Suites without a run count no leaks: they are named, never read as "0 leaks".
  return { kind: 'leaks', leak, total, bySuite, max, measured, ...unmeasured, ok, overridable: true, ...(ok && !measured ? { skipped: true } : {}) };
}
