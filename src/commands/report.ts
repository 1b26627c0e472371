import path from 'node:path';
import { checkReportFile, openReportFile, reportSources, ReportOptions, writeReportFile, type ReportSources } from '../app/report.js';
import type { ReportData } from '../render/html/model.js';
import type { CommandContext, CommandResult } from './context.js';

/**
 * `promptctl report [<run-id> | <id>@<a> <id>@<b>] [-o report.html] [--open]`: one self-contained
 * HTML file for a run (or every run of one `eval` invocation) or for a comparison of two versions.
 */

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

function resultOf(file: string, d: ReportData): ReportResult {
  const t = d.totals[d.totals.length - 1]!;
  const result: ReportResult = { file, kind: d.kind, title: d.title, invocations: d.invocations, runs: d.runs.length, cases: t.cases, passed: t.passed, failed: t.failed, errored: t.errored, notRun: t.notRun };
  if (d.kind === 'compare') {
    result.changes = {};
    for (const c of d.cases) result.changes[c.change!] = (result.changes[c.change!] ?? 0) + 1;
  }
  return result;
}

/** Lays the sources out as HTML and writes it where asked (`-o`, or ci's `--html`). */
export async function writeHtml(cwd: string, sources: ReportSources, file: string, option: string): Promise<ReportResult> {
  const [{ buildReportData }, { renderHtml }, { describedExpectations }] = await Promise.all([import('../render/html/model.js'), import('../render/html/template.js'), import('../render/html/expectations.js')]);
  const d = buildReportData({ ...sources, expectations: describedExpectations(sources.expectations) });
  return resultOf(writeReportFile(cwd, file, renderHtml(d), option), d);
}

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<ReportResult>> {
  const opts = ReportOptions.parse(raw);
  checkReportFile(ctx.cwd, opts.output, '-o');
  const sources = await reportSources({ refs: opts.refs, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock });
  const result = await writeHtml(ctx.cwd, sources, opts.output, '-o');
  if (opts.open) openReportFile(result.file, (message) => ctx.out.error(message));
  const rel = path.relative(ctx.cwd, result.file) || result.file;
  const changes = result.changes ? `; ${['regression', 'fix', 'changed', 'same-verdict'].map((k) => `${result.changes![k] ?? 0} ${k === 'same-verdict' ? 'changed outputs' : k === 'changed' ? 'other verdict changes' : k === 'fix' ? 'fixes' : 'regressions'}`).join(', ')}` : '';
  const line = `wrote ${rel}: ${result.title} — ${result.runs} run${result.runs === 1 ? '' : 's'}, ${result.cases} cases: ${result.passed} passed, ${result.failed} failed, ${result.errored} errors${result.notRun ? `, ${result.notRun} not run` : ''}${changes}`;
  return { data: result, text: () => [line, ...(opts.open ? [] : ['open it in a browser (or pass --open); it loads nothing from the network'])] };
}
