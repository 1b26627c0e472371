import type { EvalReport } from '../core/schemas/report.js';
import { ownRunStats, versionLabel } from './run-stats.js';
import { counted } from './text.js';

/**
 * Beside the run table: a selection's run (`--case`, `--tag`, `--sample`, `--filter-failing`) is
 * shown with its suite's verdict as the cases last ran (the selected cases' results merged into the
 * latest complete run's), and this says so, with the selected cases' own result: "1 selected case
 * still fails". Never the threshold applied to the selection alone.
 */
export function asLastRanNotes(report: EvalReport): string[] {
  return report.runs.flatMap((o) => {
    const s = o.asLastRan;
    if (!s) return [];
    const own = ownRunStats(o);
    const failing = own.failed + own.errored;
    const selected = failing ? `${counted(failing, 'selected case')} still ${failing === 1 ? 'fails' : 'fail'}` : `${own.cases === 1 ? 'the selected case' : `all ${own.cases} selected cases`} passed`;
    const attacks = o.run.suiteKind === 'adversarial' ? '; the attack table below is the selected attacks\'' : '';
    return [`${versionLabel(o)} ${o.run.suite}: ${selected}; the verdict is the suite's as its cases last ran, ${s.passed} of ${counted(s.cases, 'case')} passing (this run's cases merged into its latest complete run)${attacks}`];
  });
}
