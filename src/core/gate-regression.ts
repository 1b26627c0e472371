import type { GateCheck } from './gate-check.js';
import type { DeployGateInput, SuiteRunFacts } from './gate-types.js';

/**
 * The regression part of the deploy gates (pure): the candidate against the version active in the
 * environment, suite by suite, only where both have a run of the same suite content. A suite only
 * one side ran is said as a skipped line with the command that makes it comparable.
 */

// Rates are fractions; comparing 0.94 - 0.89 with 0.05 must not fail on float noise.
export const EPSILON = 1e-9;

export function regressionChecks(input: DeployGateInput): GateCheck[] {
  const { baseline, policy, env, promptId, model } = input;
  if (!baseline) return [{ kind: 'no-baseline', env, ok: true, overridable: true }];
  if (baseline.version === input.version) return [];
  const checks: GateCheck[] = [];
  const limitPoints = policy.max_pass_rate_drop * 100;
  const key = (r: SuiteRunFacts): string => `${r.kind}:${r.suite}`;
  const bases = new Map(baseline.suiteRuns.map((b) => [key(b), b]));
  const current = new Set(input.suiteRuns.map(key));
  // Only runs of the same suite content compare; a suite only one side ran is said, never skipped silently.
  // Where the suite's range leaves out the other version, eval would not run it there: no command.
  const notCompared = (r: SuiteRunFacts, missing: string, applies: string[] | undefined): GateCheck => ({
    kind: 'regression-not-compared',
    suite: r.suite,
    suiteKind: r.kind,
    promptId,
    model,
    baselineVersion: baseline.version,
    missing,
    why: applies && !applies.includes(r.suite) ? 'out-of-range' : 'no-run',
    ok: true,
    skipped: true,
    overridable: true,
  });
  for (const cur of input.suiteRuns) {
    const base = bases.get(key(cur));
    if (!base) {
      checks.push(notCompared(cur, baseline.version, baseline.applicableSuites));
      continue;
    }
    const about = { suite: cur.suite, suiteKind: cur.kind, baselineVersion: baseline.version, overridable: true };
    const drop = (base.passRate - cur.passRate) * 100;
    checks.push({ kind: 'regression-pass-rate', ...about, baseline: base.passRate, candidate: cur.passRate, drop, limit: limitPoints, ok: drop <= limitPoints + EPSILON * 100 });
    const rise = cur.p95 - base.p95;
    const limitMs = policy.max_p95_latency_increase_ms;
    checks.push({ kind: 'p95-latency', ...about, baseline: base.p95, candidate: cur.p95, rise, limit: limitMs, ok: rise <= limitMs + EPSILON });
  }
  for (const base of baseline.suiteRuns) if (!current.has(key(base))) checks.push(notCompared(base, input.version, input.applicableSuites));
  return checks;
}
