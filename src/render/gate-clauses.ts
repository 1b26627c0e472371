import type { GateCheck } from '../core/gate-check.js';
import { pct } from '../core/percent.js';
import { restoreDeletedFile } from '../core/version-state.js';
import { retireHint } from '../core/gone-suites.js';
import type { JudgeChange } from '../core/eval/grading.js';
import { judgeChangeText, quoted, restoreJudge } from './eval-advice.js';

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
    `a missing suite never relaxes a gate: restore the file (${restoreDeletedFile(c.file)}), or ${retireHint(c.promptId, c.suite)}${restoredRegraded(c.regraded)}`
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
