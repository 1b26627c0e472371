import type { GateCheck, IncompleteBy, IncompleteRun } from '../core/gate-check.js';
import { incompleteWhy } from '../core/eval/incomplete-why.js';
import { pct } from '../core/percent.js';
import { restoreDeletedFile } from '../core/version-state.js';
import { retireHint } from '../core/gone-suites.js';
import type { JudgeChange } from '../core/eval/grading.js';
import { evalCommand, judgeChangeText, quoted, restoreJudge } from './eval-advice.js';

/** Parts of gate sentences (render/gate-text.ts): suites retired or gone, and a comparison not made. */

/** Retired suites the version has runs of, after a line that would otherwise read as if nothing ran. */
export function retiredClause(retired: string[] | undefined): string {
  if (!retired?.length) return '';
  const one = retired.length === 1;
  return ` (${quoted(retired)} ${one ? 'is' : 'are'} retired in .promptrc.yaml, so ${one ? 'its runs' : 'their runs'} no longer count)`;
}

/** A suite gone from the project that the registry knows: what it knows, and the two ways on. */
export function goneSuiteMessage(c: Extract<GateCheck, { kind: 'suite-missing' }>): string {
  const known: string[] = [];
  if (c.run) {
    const r = c.run;
    const outcome = r.incomplete ? 'incomplete' : r.passed === false ? 'failed' : r.passed ? 'passed' : 'finished';
    const rate = c.suiteKind === 'adversarial' && r.resistance !== undefined ? `injection resistance ${pct(r.resistance)}` : `pass rate ${pct(r.passRate)}`;
    const leaks = c.suiteKind === 'adversarial' ? `, ${r.piiLeaks} PII leak${r.piiLeaks === 1 ? '' : 's'}, ${r.systemPromptLeaks} system-prompt leak${r.systemPromptLeaks === 1 ? '' : 's'}` : '';
    known.push(`the registry holds ${c.version}'s own run of it on this content (${outcome}: ${rate}${leaks})`);
  }
  if (c.testedActive !== undefined) known.push(`${c.testedActive}, active in ${c.env}, was tested on it, so the regression against ${c.testedActive} cannot be checked on it`);
  return (
    `${c.suiteKind} suite '${c.suite}' is missing: ${c.file} is not in the project, but ${known.join(', and ')}; ` +
    `a missing suite never relaxes a gate: restore the file (${restoreDeletedFile(c)}), or ${retireHint(c.promptId, c.suite)}${restoredRegraded(c.regraded)}`
  );
}

/**
 * After a gone suite's ways on, when its run was graded by another judge than now: the file alone
 * brings back a suite without a counting run, so restoring it takes an eval, or the judge put back.
 */
export function restoredRegraded(regraded: JudgeChange | undefined): string {
  return regraded ? `; restored, its run still would not count: ${judgeChangeText(regraded)}; evaluate it to grade it with the current judge, or ${restoreJudge()}` : '';
}

/** Whether a comparison the deployed version has no run for blocks: the environment's `on_inconclusive`, said. */
export function inconclusiveClause(c: Extract<GateCheck, { kind: 'regression-not-compared' }>): string {
  if (!c.onInconclusive) return '';
  return c.onInconclusive === 'block'
    ? `, so a drop is not ruled out and ${c.env} blocks it (on_inconclusive: block)`
    : `, so a drop is not ruled out; ${c.env} lets it through (on_inconclusive: warn)`;
}

/**
 * Why an incomplete run is (core/eval/incomplete-why.ts), after the attacks it left unjudged where
 * any: `70 of 190 attacks were not judged; 37% of samples ended in errors (at most 5% allowed)`.
 */
export function incompleteByClause(by: IncompleteBy | undefined): string {
  if (!by) return 'server errors decided it, or cases did not run';
  const attacks = by.attacks?.notJudged ? `${by.attacks.notJudged} of ${by.attacks.of} attacks were not judged; ` : '';
  return `${attacks}${incompleteWhy(by.summary, by.threshold) ?? 'server errors decided it'}`;
}

/** A minimum on an incomplete run: said so, with why, and the eval that runs it again (never a fix of the prompt). */
export function incompleteMinimumMessage(kind: 'golden' | 'adversarial', suite: string, minimum: string, run: IncompleteRun): string {
  return `${kind} suite '${suite}' is incomplete: ${incompleteByClause(run.by)}; an incomplete run meets no minimum (${minimum}): run \`${evalCommand(run, run.version)}\` again`;
}

/** A leak limit with incomplete adversarial runs: the attacks they did not judge may have leaked. */
export function incompleteLeaksClause(incomplete: NonNullable<Extract<GateCheck, { kind: 'leaks' }>['incomplete']>): string {
  const suites = incomplete.suites.map((s) => `'${s.suite}' is incomplete: ${s.by?.attacks?.notJudged ? `${s.by.attacks.notJudged} of ${s.by.attacks.of} attacks were not judged` : incompleteByClause(s.by)}`);
  return `${suites.join('; ')}; what was not judged may have leaked: run \`${evalCommand(incomplete, incomplete.version)}\` again`;
}
