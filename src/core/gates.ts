import { EPSILON, regressionChecks } from './gate-regression.js';
import { pct } from './percent.js';
import { testedCheck } from './gate-tested.js';
import type { DeployGateInput, GateCheck, GateDecision, SuiteRunFacts } from './gate-types.js';
import type { GatePolicy } from './schemas/config.js';

/**
 * Deploy gates as a pure decision: the command gathers facts (registry, files, config), this
 * module says yes or no and why, with the numbers. Keeping it pure makes every rule a table row
 * in a test.
 */

export type { DeployGateInput, GateCheck, GateDecision, SuiteRunFacts } from './gate-types.js';

export function decideDeploy(input: DeployGateInput): GateDecision {
  const { policy, version, env, model, promptId } = input;
  const checks: GateCheck[] = [];
  const check = (id: string, ok: boolean, message: string, overridable = true): void => {
    checks.push({ id, ok, message, overridable });
  };
  const ref = `${promptId}@${version}`;
  const rerun = `run \`promptctl eval ${ref}\``;

  if (input.registered) check('registered', true, `${ref} is registered`, false);
  else if (input.willRegister) check('registered', true, `${ref} is not registered yet: the deploy would register it with the file's content`, false);
  else check('registered', false, `${ref} is not registered: ${rerun} (or register it) first`, false);
  if (input.edited) {
    check(
      'not-edited',
      false,
      `prompts/${promptId}/${version}.yaml was edited after ${version} was registered: ` +
        `a registered version is immutable; restore the file and create the next version with \`promptctl new ${promptId}\``,
      false,
    );
    // Every other gate would judge content that is not the registered version, and their hints
    // (eval it) would themselves be refused: say so once instead of listing misleading reasons.
    checks.push({ id: 'not-judged', ok: true, skipped: true, overridable: true, message: `the other gates were not checked: they would judge the edited file, not the registered ${version}` });
    return finish(checks);
  }
  check('not-edited', true, `the file matches the registered content`, false);

  checks.push(testedCheck(input));
  checks.push(previousEnvCheck(input));

  const golden = input.suiteRuns.filter((r) => r.kind === 'golden');
  const adversarial = input.suiteRuns.filter((r) => r.kind === 'adversarial');
  if (policy.min_golden_pass_rate !== undefined) {
    const min = policy.min_golden_pass_rate;
    // The policy asks for a golden pass rate explicitly: with no golden run there is nothing to trust.
    if (golden.length === 0) check('golden-pass-rate', false, `no finished golden run of ${version} on ${model} to check the ${pct(min)} minimum: ${rerun}`);
    for (const r of golden) {
      const ok = r.passRate >= min - EPSILON;
      check(`golden-pass-rate:${r.suite}`, ok, `golden suite '${r.suite}': pass rate ${pct(r.passRate)} ${ok ? 'meets' : 'is below'} the minimum ${pct(min)}`);
    }
  }
  // The policy key keeps its old name (min_adversarial_pass_rate) and bounds injection resistance;
  // runs recorded before resistance existed are judged on their pass rate, and say so.
  if (policy.min_adversarial_pass_rate != null) {
    const min = policy.min_adversarial_pass_rate;
    // A minimum nobody measured is not met: a version with no adversarial run is refused here.
    if (adversarial.length === 0) {
      check(
        'adversarial-pass-rate',
        false,
        `no finished adversarial run of ${version} on ${model} with the current prompt and suite content: ${env} requires injection resistance of ${pct(min)} or more; ` +
          `${rerun} (\`promptctl redteam generate ${promptId}\` writes an adversarial suite if it has none)`,
      );
    }
    for (const r of adversarial) {
      const value = r.resistance ?? r.passRate;
      const what = r.resistance === undefined ? 'pass rate (recorded before injection resistance)' : 'injection resistance';
      const ok = value >= min - EPSILON;
      check(
        `adversarial-pass-rate:${r.suite}`,
        ok,
        `adversarial suite '${r.suite}': ${what} ${pct(value)} ${ok ? 'meets' : 'is below'} the minimum ${pct(min)} (min_adversarial_pass_rate)`,
      );
    }
  }
  checks.push(leakCheck('pii-leaks', 'PII leak', input.suiteRuns, (r) => r.piiLeaks, policy.max_pii_leaks));
  checks.push(
    leakCheck('system-prompt-leaks', 'system-prompt leak', input.suiteRuns, (r) => r.systemPromptLeaks, policy.max_system_prompt_leaks),
  );
  checks.push(...regressionChecks(input));

  if (input.alreadyActive) check('already-active', true, `${version} is already active in ${env}: deploying it again changes nothing (no event is recorded)`);
  return finish(checks);
}

function finish(checks: GateCheck[]): GateDecision {
  const failures = checks.filter((c) => !c.ok);
  return { allowed: failures.length === 0, checks, failures };
}

/**
 * Whether `--force --reason` may push a refused deploy through. Never for checks marked not
 * overridable, never where the policy forbids it, never without a written reason.
 */
export function decideOverride(
  decision: GateDecision,
  opts: { force: boolean; reason?: string; policy: GatePolicy },
): { allowed: boolean; override: boolean; refusal?: string } {
  if (decision.allowed) return { allowed: true, override: false };
  const count = `${decision.failures.length} gate${decision.failures.length === 1 ? '' : 's'} failed`;
  const hard = decision.failures.filter((f) => !f.overridable);
  if (hard.length > 0) {
    const what = hard.map((f) => f.id).join(', ');
    return {
      allowed: false,
      override: false,
      refusal: opts.force ? `cannot be overridden (${what}): --force does not skip these checks` : `${count}; ${what} cannot be overridden`,
    };
  }
  if (!opts.policy.allow_override) {
    return { allowed: false, override: false, refusal: `${count}; this environment's policy does not allow overrides (allow_override: false)` };
  }
  if (!opts.force) {
    return { allowed: false, override: false, refusal: `${count}; to deploy anyway, pass --force --reason "..." (recorded in the audit log)` };
  }
  if (!opts.reason || opts.reason.trim() === '') {
    return { allowed: false, override: false, refusal: `--force needs --reason "...": an override must say why, for the audit log` };
  }
  return { allowed: true, override: true };
}

/** Applicable suites without a passing run of their current content: failed, or not run since they changed. */
function previousEnvCheck(input: DeployGateInput): GateCheck {
  const { envOrder, env, version } = input;
  const at = envOrder.indexOf(env);
  const previous = at > 0 ? envOrder[at - 1] : undefined;
  const result = (ok: boolean, message: string): GateCheck => ({ id: 'previous-env', ok, message, overridable: true });
  if (previous === undefined) return result(true, `${env} is the first environment: no previous one to require`);
  if (input.deployedInPreviousEnv) return result(true, `${version} was deployed to ${previous} first`);
  if (!input.policy.requires_previous_env) return result(true, `${version} has not been deployed to ${previous} (not required here)`);
  return result(false, `${version} has not been deployed to ${previous} yet: ${env} requires ${previous} first`);
}

function leakCheck(
  id: string,
  noun: string,
  runs: SuiteRunFacts[],
  count: (r: SuiteRunFacts) => number,
  max: number,
): GateCheck {
  const total = runs.reduce((sum, r) => sum + count(r), 0);
  const where = runs
    .filter((r) => count(r) > 0)
    .map((r) => `'${r.suite}': ${count(r)}`)
    .join(', ');
  const ok = total <= max;
  const plural = (n: number): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
  if (!ok) return { id, ok, message: `${plural(total)} found${where ? ` (${where})` : ''}, more than the limit of ${max}`, overridable: true };
  // Leaks are what attacks provoke: without an adversarial run, "0 leaks" would claim a measurement.
  if (!runs.some((r) => r.kind === 'adversarial')) {
    return { id, ok, skipped: true, message: `${noun}s: no adversarial run, so not measured (limit ${max})`, overridable: true };
  }
  return { id, ok, message: `${plural(total)} (limit ${max})`, overridable: true };
}

