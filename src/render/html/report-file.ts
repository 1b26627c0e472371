import path from 'node:path';
import type { ReportSources } from '../../app/report.js';
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
  }
  return result;
}

/** `wrote report.html: … — 2 runs, 9 cases: …`, and how to open it. */
export function reportLines(cwd: string, result: ReportResult, opened: boolean): string[] {
  const rel = path.relative(cwd, result.file) || result.file;
  const changes = result.changes ? `; ${['regression', 'fix', 'changed', 'same-verdict'].map((k) => `${result.changes![k] ?? 0} ${k === 'same-verdict' ? 'changed outputs' : k === 'changed' ? 'other verdict changes' : k === 'fix' ? 'fixes' : 'regressions'}`).join(', ')}` : '';
  const line = `wrote ${rel}: ${result.title} — ${result.runs} run${result.runs === 1 ? '' : 's'}, ${result.cases} cases: ${result.passed} passed, ${result.failed} failed, ${result.errored} errors${result.notRun ? `, ${result.notRun} not run` : ''}${changes}`;
  return [line, ...(opened ? [] : ['open it in a browser (or pass --open); it loads nothing from the network'])];
}

/** ci's last line about `--html`. */
export function ciHtmlLine(cwd: string, file: string | undefined): string {
  return file ? `HTML report: ${path.relative(cwd, file) || file}` : 'no HTML report written: nothing was evaluated';
}
