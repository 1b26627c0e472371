import path from 'node:path';
import { isStdoutPath } from '../../core/stdout-path.js';
import type { ReportSources } from '../../app/report.js';
import { comparedCountsText, type ChangeKind } from '../compare.js';
import { describedExpectations } from './expectations.js';
import { buildReportData, type ReportData, type ReportInput } from './model.js';
import { renderHtml } from './template.js';

/** What `promptctl report` (and `ci --html`) says about the file it wrote, also its `--json`. */
export interface ReportResult {
  file: string;
  kind: ReportData['kind'];
  title: string;
  invocations: string[];
  runs: number;
  cases: number;
  passed: number;
  failed: number;
  errored: number;
  notRun: number;
  changes?: Record<string, number>;
  /** A comparison: cases with no answer on either side (errored or not run on both), among `changes`' changed outputs. */
  unanswered?: number;
  /**
   * A comparison: each version's own counts, a first. The counts above are the last version's (b)
   * alone, kept for scripts that read them; the text names whose counts it gives.
   */
  versions?: Array<{ version: string } & Pick<ReportResult, 'cases' | 'passed' | 'failed' | 'errored' | 'notRun'>>;
}

/** The report's HTML, and its numbers for the line printed once it is written; `verdict`: the command's, in its words (ci). */
export function reportHtml(sources: ReportSources & Pick<ReportInput, 'verdict'>): { html: string; summary: (file: string) => ReportResult } {
  const d = buildReportData({ ...sources, expectations: describedExpectations(sources.expectations) });
  return { html: renderHtml(d), summary: (file) => resultOf(file, d) };
}

export function resultOf(file: string, d: ReportData): ReportResult {
  const t = d.totals[d.totals.length - 1]!;
  const result: ReportResult = { file, kind: d.kind, title: d.title, invocations: d.invocations, runs: d.runs.length, cases: t.cases, passed: t.passed, failed: t.failed, errored: t.errored, notRun: t.notRun };
  if (d.kind === 'compare') {
    result.changes = {};
    for (const c of d.cases) result.changes[c.change!] = (result.changes[c.change!] ?? 0) + 1;
    const unanswered = d.cases.filter((c) => c.unanswered).length;
    if (unanswered) result.unanswered = unanswered;
    result.versions = d.totals.map((x) => ({ version: x.label, cases: x.cases, passed: x.passed, failed: x.failed, errored: x.errored, notRun: x.notRun }));
  }
  return result;
}

/** `4 cases: 3 passed, 1 failed, 0 errors`, and those not run when any. */
function countsText(r: Pick<ReportResult, 'cases' | 'passed' | 'failed' | 'errored' | 'notRun'>): string {
  return `${r.cases} case${r.cases === 1 ? '' : 's'}: ${r.passed} passed, ${r.failed} failed, ${r.errored} error${r.errored === 1 ? '' : 's'}${r.notRun ? `, ${r.notRun} not run` : ''}`;
}

/** `wrote report.html: … — 2 runs, 9 cases: …`, and how to open it. */
export function reportLines(cwd: string, result: ReportResult, opened: boolean): string[] {
  const rel = isStdoutPath(result.file) ? 'the report to standard output' : path.relative(cwd, result.file) || result.file;
  const runs = `${result.runs} run${result.runs === 1 ? '' : 's'}`;
  const open = opened ? [] : ['open it in a browser (or pass --open); it loads nothing from the network'];
  if (!result.changes || !result.versions) return [`wrote ${rel}: ${result.title} — ${runs}, ${countsText(result)}`, ...open];
  // A comparison: the cases paired, in `promptctl compare`'s words, then each version's counts named
  // (one set of counts alone read as both versions', and a regression looked like no change).
  const n = (k: ChangeKind) => result.changes![k] ?? 0;
  const paired = Object.values(result.changes).reduce((a, b) => a + b, 0);
  return [`wrote ${rel}: ${result.title} — ${runs}, ${paired} case${paired === 1 ? '' : 's'} compared: ${comparedCountsText(n, { unanswered: result.unanswered })}`, ...result.versions.map((v) => `  ${v.version}: ${countsText(v)}`), ...open];
}

/** ci's last line about `--html`. */
export function ciHtmlLine(cwd: string, file: string | undefined): string {
  return file ? `HTML report: ${path.relative(cwd, file) || file}` : 'no HTML report written: nothing was evaluated';
}
