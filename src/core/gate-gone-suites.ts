import type { GateCheck } from './gate-check.js';
import type { DeployGateInput, GoneSuite, SuiteRunFacts } from './gate-types.js';

/**
 * Suites whose file is gone but the registry knows (core/gate-types.ts `GoneSuite`). One not
 * retired fails the gate by name, and the version's own run of it on its current content counts in
 * the gates on runs (minimums, leak limits) as a suite's run does: deleting a suite never turns a
 * failing run into no run. A retired suite's runs no longer count, and the leak lines say it is
 * retired rather than that nothing ran.
 */

/** The one rule for a gone suite that blocks: not retired. The gate, eval's tested mark and `status` share it. */
export function unretired(gone: readonly GoneSuite[] | undefined): GoneSuite[] {
  return (gone ?? []).filter((g) => !g.retired);
}

const notRetired = (input: DeployGateInput): GoneSuite[] => unretired(input.goneSuites);

export function goneSuiteChecks(input: DeployGateInput): GateCheck[] {
  const { promptId, version, env } = input;
  return notRetired(input).map((g) => ({
    kind: 'suite-missing' as const,
    promptId,
    version,
    env,
    suite: g.suite,
    suiteKind: g.kind,
    file: g.file,
    ...(g.fromCwd !== undefined ? { fromCwd: g.fromCwd } : {}),
    ...(g.run ? { run: { passed: g.run.passed, ...(g.run.incomplete ? { incomplete: true as const } : {}), passRate: g.run.passRate, resistance: g.run.resistance, piiLeaks: g.run.piiLeaks, systemPromptLeaks: g.run.systemPromptLeaks } } : {}),
    ...(g.run && g.regraded ? { regraded: g.regraded } : {}),
    ...(g.testedActive !== undefined ? { testedActive: g.testedActive } : {}),
    ok: false,
    overridable: false,
  }));
}

/** The version's own runs of suites gone and not retired, as the gates on runs read a suite's run. */
export function goneSuiteRuns(input: DeployGateInput): SuiteRunFacts[] {
  return notRetired(input).flatMap((g) => (g.run ? [{ suite: g.suite, kind: g.kind, ...g.run }] : []));
}

/** Retired suites of `kind` the version has a run of: what a missing-run or leak line names instead of "no run". */
export function retiredWithRuns(input: DeployGateInput, kind: SuiteRunFacts['kind']): string[] {
  return (input.goneSuites ?? []).filter((g) => g.retired && g.kind === kind && g.run).map((g) => g.suite);
}
