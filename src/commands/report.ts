import { checkReportFile, openReportFile, reportSources, ReportOptions, writeReportChunks, writeReportFile } from '../app/report.js';
import type { ReportResult } from '../render/html/report-file.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/**
 * `promptctl report [<run-id> | <id>@<a> <id>@<b>] [-o report.html] [--open]`: one self-contained
 * HTML file for a run (or every run of one `eval` invocation) or for a comparison of two versions.
 * A run report is read and written a page of cases at a time (a run may have 100,000 cases).
 */

export type { ReportResult } from '../render/html/report-file.js';

async function runReport(ctx: CommandContext, opts: ReportOptions & { output: string }): Promise<ReportResult> {
  const { pagedReportSources } = await import('../app/report-pages.js');
  const sources = await pagedReportSources({ ref: opts.refs?.[0], ...appOptions(ctx) });
  try {
    const { streamReportHtml } = await import('../render/html/report-stream.js');
    const { chunks, summary } = streamReportHtml(sources);
    return summary(await writeReportChunks(ctx.cwd, opts.output, chunks, '-o', ctx.signal));
  } finally {
    await sources.close();
  }
}

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<ReportResult>> {
  const opts = ReportOptions.parse(raw);
  checkReportFile(ctx.cwd, opts.output, '-o');
  let result: ReportResult;
  // Comparisons, and refs reportSources refuses, take the in-memory path (its errors included).
  if (opts.refs.length > 1 || opts.refs[0]?.includes('@')) {
    const sources = await reportSources({ refs: opts.refs, ...appOptions(ctx) });
    const { reportHtml } = await import('../render/html/report-file.js');
    const { html, summary } = reportHtml(sources);
    result = summary(await writeReportFile(ctx.cwd, opts.output, html, '-o', ctx.signal));
  } else {
    result = await runReport(ctx, opts);
  }
  if (opts.open) openReportFile(result.file, (message) => ctx.out.error(message));
  const { reportLines } = await import('../render/html/report-file.js');
  return { data: result, text: () => reportLines(ctx.cwd, result, opts.open) };
}
