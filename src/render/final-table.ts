import { Chalk, type ChalkInstance } from 'chalk';
import type { EvalReport, RunOutcome } from '../core/schemas/report.js';
import type { RunSummary } from '../core/schemas/run.js';
import { failedChecksOfReport, failedChecksText, failingCount, failVerb, overallVerdict, partialRunsNote, resistanceText, runCells, runStats, versionLabel, versionLabelCut, type FailedChecks } from './run-stats.js';
import { formatTable, WHOLE, type Cell } from './table.js';
import { failureListSection } from './failure-list.js';
import { cannotFailNotes } from './cannot-fail-text.js';
import { incompleteNotes } from './incomplete-text.js';
import { asLastRanNotes } from './as-last-ran.js';
import { attackIntervals } from '../core/eval/intervals.js';
import { attacksRunText, categoryRateText, ciRange, counted, everyOne, int, MARK_REASON_CHARS, needCellCut, oneLine, THRESHOLDS_PASSED } from './text.js';
import { comparedP95, comparedRates, comparedRatesText } from './deltas.js';
import { otherEvalsClause } from './other-evals.js';
import { testedOn } from './tested-on.js';

/**
 * The plain-text summary printed when `eval` ends, on a terminal or in a log. Colour (decided by render/terminal.ts) comes from a
 * private Chalk instance so `--no-color`, pipes and tests do not depend on global detection.
 */

export interface FinalTableOptions {
  color: boolean;
  /** Which of the report's failed regression checks fail the gate (ci gates only its candidates); by default all. */
  gating?: FailedChecks;
  /** Runs shown for information whose verdict gates nothing (ci: older versions a changed suite re-evaluates); by default the deployed versions' runs made for `--baseline`. */
  notGating?: (o: RunOutcome) => boolean;
  /**
   * The closing verdict line; default true. Off when a signal stopped the run: the command says
   * so once, in its own message, so Ctrl-C prints one message, not two.
   */
  headline?: boolean;
  /** The terminal's width: tables cut text cells with … and leave out optional columns to fit it. */
  width?: number;
  /** Lists the failed and errored cases first, each with its reasons (`eval`); default false. */
  whyFailed?: boolean;
}

function verdictCell(v: RunSummary['verdict'], c: ChalkInstance): Cell {
  const paint = v === 'passed' ? c.green : v === 'failed' ? c.red : c.yellow;
  return { text: v, paint: (s) => paint(s) };
}

function runRows(report: EvalReport, c: ChalkInstance, maxWidth?: number): string {
  const rows = report.runs.map((o): Cell[] => {
    const s = runStats(o);
    const shown = runCells(o, s);
    return [
      versionLabel(o),
      o.run.suite,
      o.run.suiteKind,
      verdictCell(s.verdict, c),
      shown.passRate,
      shown.ci,
      String(s.passed),
      s.failed > 0 ? { text: String(s.failed), paint: (x) => c.red(x) } : '0',
      s.errored > 0 ? { text: String(s.errored), paint: (x) => c.yellow(x) } : '0',
      String(s.notRun),
      shown.p50,
      shown.p95,
      `${int(s.tokensIn)}/${int(s.tokensOut)}`,
    ];
  });
  const right = { align: 'right' as const };
  return formatTable(
    // At a narrow terminal, TOKENS, P50 and KIND (suites are mostly named after it) and columns of
    // zeros go first; then the prompt id loses letters in its middle (down to 8 each side); then NOT
    // RUN, P95, errors and the interval; `(need …)` last.
    [
      { header: 'PROMPT', cut: versionLabelCut },
      { header: 'SUITE' },
      { header: 'KIND', optional: true, dropOrder: 1 },
      { header: 'VERDICT', cut: WHOLE },
      { header: 'PASS RATE', cut: needCellCut },
      // Over the cases: the pass rate is passed cases / cases (core/eval/intervals.ts).
      { header: '95% CI', ...right, optional: true, outlastsText: true, dropOrder: 1 },
      { header: 'PASSED', ...right },
      { header: 'FAILED', ...right },
      // Errors and cases not run explain an incomplete verdict: never left out while any is counted
      // (a table that cannot fit then becomes records); a column of zeros says nothing and goes early.
      { header: 'ERRORS', ...right, optional: !report.runs.some((o) => runStats(o).errored > 0) },
      { header: 'NOT RUN', ...right, optional: !report.runs.some((o) => runStats(o).notRun > 0) },
      { header: 'P50', ...right, optional: true },
      { header: 'P95', ...right, optional: true, outlastsText: true },
      { header: 'TOKENS IN/OUT', ...right, optional: true },
    ],
    rows,
    (h) => c.bold(h),
    { maxWidth },
  );
}

function adversarialSection(o: RunOutcome, c: ChalkInstance, maxWidth?: number): string | null {
  if (o.run.suiteKind !== 'adversarial') return null;
  const s = runStats(o);
  const intervals = attackIntervals(s).categories ?? [];
  const rows = (s.categories ?? []).map((k, i): Cell[] => [
    k.category,
    attacksRunText(k),
    k.succeeded > 0 ? { text: String(k.succeeded), paint: (x) => c.red(x) } : '0',
    categoryRateText(k),
    intervals[i] ? ciRange(intervals[i].successRate) : '–',
  ]);
  const table = rows.length
    ? formatTable(
        [
          { header: 'CATEGORY' },
          { header: 'ATTACKS', align: 'right' },
          { header: 'SUCCEEDED', align: 'right' },
          { header: 'SUCCESS RATE', align: 'right' },
          { header: '95% CI', align: 'right' },
        ],
        rows,
        (h) => c.bold(h),
        { maxWidth },
      )
    : '(no attack categories recorded)';
  const pii = s.piiLeaks ?? 0;
  const sys = s.systemPromptLeaks ?? 0;
  const leakText = `PII leaks ${pii} · system-prompt leaks ${sys}`;
  const leaks = pii + sys > 0 ? c.red(leakText) : leakText;
  const r = resistanceText(s);
  const resistance = r === null ? '' : `\n${(s.attacksSucceeded ?? 0) > 0 ? c.red(r) : r}`;
  return `${c.bold(`Attacks on ${versionLabel(o)} (${o.run.suite})`)}\n${table}${resistance}\n${leaks}`;
}

function baselineSection(report: EvalReport, c: ChalkInstance, maxWidth?: number): string | null {
  const rows: Cell[][] = [];
  for (const b of report.baselines) {
    if (b.baselineVersion === null) {
      rows.push([b.promptId, b.version ?? '–', b.env, '(none deployed)', '', '', '', '', '', '']);
      continue;
    }
    for (const s of b.suites) {
      const dPass = comparedRates(s).delta;
      const p95 = comparedP95(s);
      const worse = s.baselinePassRate !== null && s.passRate < s.baselinePassRate;
      rows.push([
        b.promptId,
        b.version ?? '–',
        b.env,
        s.rescored ? `${b.baselineVersion} (${s.rescored.side} re-scored with scorer v${s.rescored.scorer})` : b.baselineVersion,
        s.suite,
        comparedRatesText(s),
        worse ? { text: dPass, paint: (x) => c.red(x) } : dPass,
        `${p95.candidate} vs ${p95.baseline}`,
        p95.delta,
        // Whole, on one line: at a terminal the table cuts it to the width; in a log nothing does.
        s.regressions.length
          ? { text: oneLine(s.regressions.join(', '), Infinity), paint: (x) => c.red(x) }
          : s.warnings?.length
            ? { text: oneLine(`warn: ${s.warnings.join(', ')}`, Infinity), paint: (x) => c.yellow(x) }
            : '',
      ]);
    }
  }
  if (rows.length === 0) return null;
  const table = formatTable(
    [
      { header: 'PROMPT' },
      { header: 'VERSION' },
      { header: 'ENV' },
      { header: 'BASELINE' },
      { header: 'SUITE' },
      { header: 'PASS RATE' },
      { header: 'Δ', align: 'right' },
      { header: 'P95', optional: true },
      { header: 'Δ P95', align: 'right', optional: true },
      { header: 'REGRESSIONS' },
    ],
    rows,
    (h) => c.bold(h),
    { maxWidth },
  );
  const note = partialRunsNote(report);
  return `${c.bold('Compared with deployed versions')}\n${table}${note ? `\nnote: ${note}` : ''}`;
}

function testedSection(report: EvalReport, c: ChalkInstance): string | null {
  if (report.versions.length === 0) return null;
  const lines = report.versions.map((v) => {
    const label = `${v.promptId}@${v.version}${v.model ? `:${v.model}` : ''}`;
    if (v.tested) return `${c.green('✓')} ${label} tested on ${testedOn(report, v)}${otherEvalsClause(v)}`;
    return `${c.red('✗')} ${label} not tested${otherEvalsClause(v)}${v.reason ? `: ${oneLine(v.reason, MARK_REASON_CHARS)}` : ''}`;
  });
  return `${c.bold('Tested marks')}\n${lines.join('\n')}`;
}

function headline(report: EvalReport, c: ChalkInstance, gating = failedChecksOfReport(report), notGating: FinalTableOptions['notGating'] = (o) => o.asDeployedIn !== undefined): string {
  // The verdict is the gated runs'; runs shown for information are counted apart.
  const gated = notGating ? { ...report, runs: report.runs.filter((o) => !notGating(o)) } : report;
  const informational = report.runs.length - gated.runs.length;
  const infoNotPassed = report.runs.filter((o) => notGating(o) && runStats(o).verdict !== 'passed').length;
  const runs = gated.runs.map(runStats);
  const failed = runs.filter((s) => s.verdict === 'failed').length;
  const incomplete = runs.filter((s) => s.verdict === 'incomplete').length;
  const noun = informational ? 'gating suite run' : 'suite run';
  const of = counted(runs.length, noun);
  const info = infoNotPassed ? ` ${infoNotPassed} of ${counted(informational, 'run')} shown for comparison did not pass (not gating).` : '';
  switch (overallVerdict(gated, failingCount(gating))) {
    case 'aborted':
      return c.yellow(`Aborted: ${oneLine(report.aborted ?? '', 200)}`);
    case 'empty':
      return c.yellow('No suites were run.');
    case 'failed':
      // The gate's failed checks are counted here too, as the Markdown headline counts them.
      return c.red(`${failed} of ${of} failed${failingCount(gating) ? `, and ${failedChecksText(gating)} ${failVerb(gating)} the gate` : ''}.${info}`);
    case 'incomplete':
      return c.yellow(`${incomplete} of ${of} ${incomplete === 1 ? 'is' : 'are'} incomplete.${info}`);
    case 'passed':
      return c.green(`${everyOne(runs.length, noun, { one: 'passed', many: 'passed' })}.${info}`);
    case 'regressed':
      return c.red(`${everyOne(runs.length, noun, THRESHOLDS_PASSED)}, but ${failedChecksText(gating)} ${failVerb(gating)} the gate.${info}`);
  }
}

export function formatFinalTable(report: EvalReport, opts: FinalTableOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  // Fitted at any width: below 80 columns more columns go, where letting the terminal wrap every
  // row of 13 columns was unreadable.
  const width = opts.width;
  // Above the tables, so the summary and the verdict stay the last lines on the screen.
  const why = opts.whyFailed ? failureListSection(report, c) : null;
  const sections: string[] = [...(why ? [why] : []), `Model ${report.model} on ${report.server}`];
  if (report.runs.length > 0) sections.push([runRows(report, c, width), ...asLastRanNotes(report), ...incompleteNotes(report).map((n) => c.yellow(n)), ...cannotFailNotes(report).map((n) => c.yellow(n))].join('\n'));
  for (const o of report.runs) {
    const adv = adversarialSection(o, c, width);
    if (adv) sections.push(adv);
  }
  for (const part of [baselineSection(report, c, width), testedSection(report, c)]) if (part) sections.push(part);
  if (opts.headline !== false) sections.push(headline(report, c, opts.gating, opts.notGating));
  return `${sections.join('\n\n')}\n`;
}
