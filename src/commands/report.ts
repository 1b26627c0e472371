import { checkReportFile, openReportFile, reportSources, ReportOptions, writeReportFile } from '../app/report.js';
import type { ReportResult } from '../render/html/report-file.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/**
 * `promptctl report [<run-id> | <id>@<a> <id>@<b>] [-o report.html] [--open]`: one self-contained
 * HTML file for a run (or every run of one `eval` invocation) or for a comparison of two versions.
 */

export type { ReportResult } from '../render/html/report-file.js';

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<ReportResult>> {
  const opts = ReportOptions.parse(raw);
  checkReportFile(ctx.cwd, opts.output, '-o');
  const sources = await reportSources({ refs: opts.refs, ...appOptions(ctx) });
  const { reportHtml, reportLines } = await import('../render/html/report-file.js');
  const { html, summary } = reportHtml(sources);
  const result = summary(writeReportFile(ctx.cwd, opts.output, html, '-o'));
  if (opts.open) openReportFile(result.file, (message) => ctx.out.error(message));
  return { data: result, text: () => reportLines(ctx.cwd, result, opts.open) };
}
