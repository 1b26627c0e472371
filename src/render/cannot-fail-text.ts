import { caseCannotFail, suiteCannotFail } from '../core/lint/cannot-fail.js';
import type { EvalReport } from '../core/schemas/report.js';
import { versionLabel } from './run-stats.js';
import { counted } from './text.js';

/**
 * Notes under eval's table for runs whose verdict could not have been "failed": with
 * `threshold: 0`, or cases that passed only because `min_pass_rate: 0` passes any samples, the
 * table's PASSED count sat beside FAIL lines for the same cases with nothing saying why.
 */
export function cannotFailNotes(report: Pick<EvalReport, 'runs'>): string[] {
  const notes: string[] = [];
  for (const o of report.runs) {
    const label = `${versionLabel(o)} ${o.run.suite}`;
    if (suiteCannotFail(o.threshold)) notes.push(`note: ${label} cannot fail: threshold 0 passes it whatever its cases do (lint: suite/cannot-fail)`);
    const only = o.cases.filter((k) => k.verdict === 'pass' && caseCannotFail(k.minPassRate) && k.passRate < 1);
    if (!only.length) continue;
    const ids = only.slice(0, 3).map((k) => k.caseId).join(', ') + (only.length > 3 ? ', …' : '');
    notes.push(`note: ${label}: ${counted(only.length, 'case')} passed only by min_pass_rate 0, with samples that did not pass (${ids}); such a case cannot fail (lint: suite/cannot-fail)`);
  }
  return notes;
}
