import type { CiResult } from '../core/ci/result.js';
import type { BaselineComparison, RunOutcome } from '../core/schemas/report.js';
import { failedChecksOf, runStats, versionLabel, type FailedChecks } from './run-stats.js';
import { gatesRun } from '../core/ci/gating.js';

/** Which of what ci evaluated gates: only candidates (new versions; for a changed suite or config, the highest version). */

/** Whether an evaluated version (`id@version`) is a candidate: only candidates are gated. */
export function isCandidate(r: CiResult): (b: { promptId: string; version?: string }) => boolean {
  const candidates = new Set(r.plan.evaluate.filter((e) => e.candidate).map((e) => e.ref));
  return (b) => candidates.has(`${b.promptId}@${b.version}`);
}

/** The candidates' comparisons with the baseline: only their failed checks fail the gate. */
export function gatingComparisons(r: CiResult): BaselineComparison[] {
  return (r.report?.baselines ?? []).filter(isCandidate(r));
}

/** How many regressions, inconclusive checks and environment gates of the candidates fail the gate. */
export function gatingChecks(r: CiResult): FailedChecks {
  const policy = (r.policy ?? []).reduce((n, p) => n + p.failures.length, 0);
  return { ...failedChecksOf(gatingComparisons(r).flatMap((b) => b.suites)), ...(policy ? { policy } : {}) };
}

/** Comparisons as ci shows them: drops of versions that are not candidates are marked as such. */
export function markedNotGating(r: CiResult, baselines: readonly BaselineComparison[]): BaselineComparison[] {
  const candidate = isCandidate(r);
  return baselines.map((b) => (candidate(b) ? b : { ...b, notGating: true as const, suites: b.suites.map((s) => ({ ...s, regressions: s.regressions.map((x) => `not gating: ${x}`) })) }));
}

/** The refs that really ran in this invocation. */
export function ranRefs(r: CiResult): Set<string> {
  return new Set((r.report?.runs ?? []).map((o) => `${o.run.promptId}@${o.run.version}`));
}

/**
 * A run of an older version a changed suite re-evaluated, of a deployed version for the comparison,
 * or on a matrix model no environment serves: shown, its verdict gates nothing.
 */
export function notGatingRun(r: CiResult): (o: RunOutcome) => boolean {
  const gates = gatesRun(new Set(r.plan.evaluate.filter((e) => e.candidate).map((e) => e.ref)), r.notServed);
  return (o) => !gates(o);
}

/** Why a candidate's runs on a matrix model do not gate, one line per version and model. */
export function notServedLines(r: CiResult): string[] {
  return (r.notServed ?? []).map((n) => `${n.ref} on ${n.model}: no environment serves it on ${n.model} (server.models runs it there for comparison), so its runs there do not gate`);
}

/**
 * The runs shown that did not pass and gate nothing, each with why: the HTML report's runs table and
 * cards count them as any run (they describe runs), so beside ci's "passed" a note says why a failed
 * suite there fails no pull request, as the text and Markdown headlines do.
 */
export function notGatingFailures(r: CiResult): string[] {
  const notGating = notGatingRun(r);
  const served = r.notServed ?? [];
  return (r.report?.runs ?? [])
    .filter((o) => notGating(o) && runStats(o).verdict !== 'passed')
    .map((o) => {
      const ref = `${o.run.promptId}@${o.run.version}`;
      const unserved = served.some((n) => n.ref === ref && n.model === o.run.model);
      const why = o.asDeployedIn !== undefined ? `the version deployed in ${o.asDeployedIn}, run for the comparison` : unserved ? `a run on ${o.run.model}, which no environment serves it on` : 'an older version the changed suite re-evaluates; only the candidates gate';
      return `not gating: ${versionLabel(o)} ${o.run.suite} did not pass (${runStats(o).verdict}): ${why}`;
    });
}
