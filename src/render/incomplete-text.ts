import { incompleteWhy } from '../core/eval/incomplete-why.js';
import type { EvalReport, RunOutcome } from '../core/schemas/report.js';
import type { RunSummary } from '../core/schemas/run.js';
import { besideThreshold } from '../core/threshold-format.js';
import { runStats, versionLabel } from './run-stats.js';

/**
 * Why a run is incomplete, as every report says it beside its verdict (core/eval/incomplete-why.ts):
 * the run tables show the pass rate beside the threshold, which alone (80.0% of a needed 50.0%) would
 * read as a pass. Null for a passed or failed run.
 */
export function incompleteText(o: RunOutcome, s: RunSummary = runStats(o)): string | null {
  return incompleteWhy(s, o.threshold);
}

/** Lines under eval's run table, one per incomplete run: `reg@1.0.0 golden is incomplete: 20% of samples ended in errors (at most 5% allowed)`. */
export function incompleteNotes(report: Pick<EvalReport, 'runs'>): string[] {
  return report.runs.flatMap((o) => {
    const why = incompleteText(o);
    return why === null ? [] : [`${versionLabel(o)} ${o.run.suite} is incomplete: ${why}`];
  });
}

/**
 * JUnit properties of an incomplete run: its reason and, where recorded, its error rate beside
 * max_error_rate (the decimals agree with the verdict, as passRate's beside threshold do). None for
 * a passed or failed run, whose properties stay as they were.
 */
export function incompleteProperties(o: RunOutcome, s: RunSummary = runStats(o)): Array<[string, string | number]> {
  const why = incompleteText(o, s);
  if (why === null) return [];
  const e = s.errors;
  if (!e || !s.samples) return [['incomplete', why]];
  const rate = e.samples / s.samples;
  const shown = besideThreshold(rate, e.maxRate, { ok: rate <= e.maxRate + 1e-9, bound: 'max', digits: 4, rounding: 'nearest' });
  return [['incomplete', why], ['errorRate', shown.value], ['maxErrorRate', e.maxRate]];
}
