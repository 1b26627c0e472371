import type { DeployGateInput, GateCheck, SuiteRunFacts } from './gate-types.js';
import { pct } from './percent.js';

/**
 * The regression part of the deploy gates (pure): the candidate against the version active in the
 * environment, suite by suite, only where both have a run of the same suite content. A suite only
 * one side ran is said as a skipped line with the command that makes it comparable.
 */

// Rates are fractions; comparing 0.94 - 0.89 with 0.05 must not fail on float noise.
export const EPSILON = 1e-9;
const ms = (value: number): string => `${Math.round(value)} ms`;

export function regressionChecks(input: DeployGateInput): GateCheck[] {
  const { baseline, policy, env, promptId, model } = input;
  if (!baseline) {
    return [{ id: 'regression', ok: true, message: `no version deployed in ${env} to compare with: no regression check`, overridable: true }];
  }
  if (baseline.version === input.version) return [];
  const checks: GateCheck[] = [];
  const limitPoints = policy.max_pass_rate_drop * 100;
  const key = (r: SuiteRunFacts): string => `${r.kind}:${r.suite}`;
  const bases = new Map(baseline.suiteRuns.map((b) => [key(b), b]));
  const current = new Set(input.suiteRuns.map(key));
  // Only runs of the same suite content compare; a suite only one side ran is said, never skipped silently.
  // Where the suite's range leaves out the other version, eval would not run it there: no command.
  const notCompared = (r: SuiteRunFacts, missing: string, applies: string[] | undefined): GateCheck => ({
    id: `regression-not-compared:${r.suite}`,
    ok: true,
    skipped: true,
    overridable: true,
    message:
      applies && !applies.includes(r.suite)
        ? `${r.kind} suite '${r.suite}': not compared with ${baseline.version}: the suite does not apply to ${missing} (its \`versions:\` range leaves it out), so there is nothing to compare`
        : `${r.kind} suite '${r.suite}': not compared with ${baseline.version}: ${missing} has no finished run of the suite's current content on ${model}; ` +
          `run \`promptctl eval ${promptId}@${missing}\` to compare`,
  });
  for (const cur of input.suiteRuns) {
    const base = bases.get(key(cur));
    if (!base) {
      checks.push(notCompared(cur, baseline.version, baseline.applicableSuites));
      continue;
    }
    const label = `${cur.kind} suite '${cur.suite}'`;
    const dropPoints = (base.passRate - cur.passRate) * 100;
    const dropOk = dropPoints <= limitPoints + EPSILON * 100;
    checks.push({
      id: `regression-pass-rate:${cur.suite}`,
      ok: dropOk,
      message:
        dropPoints > EPSILON * 100
          ? `${label}: pass rate ${pct(cur.passRate)} dropped ${dropPoints.toFixed(1)} points from ${pct(base.passRate)} on ${baseline.version} (limit ${limitPoints.toFixed(1)})`
          : `${label}: pass rate ${pct(cur.passRate)} vs ${pct(base.passRate)} on ${baseline.version}`,
      overridable: true,
    });
    const rise = cur.p95 - base.p95;
    const riseOk = rise <= policy.max_p95_latency_increase_ms + EPSILON;
    checks.push({
      id: `regression-p95:${cur.suite}`,
      ok: riseOk,
      message:
        rise > 0
          ? `${label}: p95 latency ${ms(cur.p95)} is ${ms(rise)} above ${ms(base.p95)} on ${baseline.version} (limit ${ms(policy.max_p95_latency_increase_ms)})`
          : `${label}: p95 latency ${ms(cur.p95)} vs ${ms(base.p95)} on ${baseline.version}`,
      overridable: true,
    });
  }
  for (const base of baseline.suiteRuns) if (!current.has(key(base))) checks.push(notCompared(base, input.version, input.applicableSuites));
  return checks;
}
