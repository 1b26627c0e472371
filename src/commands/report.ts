import { checkReportFile, openReportFile, reportSources, ReportOptions, writeReportChunks, writeReportFile } from '../app/report.js';
import type { ReportResult } from '../render/html/report-file.js';
import { InputError } from '../core/errors.js';
import { isStdoutPath } from '../core/stdout-path.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/**
 * `promptctl report [<run-id> | <id>@<a> <id>@<b>] [-o report.html] [--open]`: one self-contained
 * HTML file for a run (or every run of one `eval` invocation) or for a comparison of two versions.
 * A run report is read and written a page of cases at a time (a run may have 100,000 cases).
 */

export type { ReportResult } from '../render/html/report-file.js';

async function runReport(ctx: CommandContext, opts: ReportOptions & { output: string }, print?: (text: string) => void): Promise<ReportResult> {
  const { pagedReportSources } = await import('../app/report-pages.js');
  const sources = await pagedReportSources({ ref: opts.refs?.[0], ...appOptions(ctx) });
  try {
    const { streamReportHtml } = await import('../render/html/report-stream.js');
    const { chunks, summary } = streamReportHtml(sources);
    return summary(await writeReportChunks(ctx.cwd, opts.output, chunks, '-o', ctx.signal, print));
  } finally {
    await sources.close();
  }
}

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<ReportResult>> {
  const opts = ReportOptions.parse(raw);
  // `-o -` prints the HTML on standard output (core/stdout-path.ts), and what was written on stderr.
  const toStdout = isStdoutPath(opts.output);
  if (toStdout && (opts.open || ctx.out.json)) throw new InputError({ message: `-o - prints the report on standard output, so it cannot be ${opts.open ? 'opened (--open)' : 'printed with --json'}`, hint: 'write it to a file: -o report.html.' });
  const print = toStdout ? (text: string) => ctx.out.write(text) : undefined;
  checkReportFile(ctx.cwd, opts.output, '-o', toStdout);
  let result: ReportResult;
  // Comparisons, and refs reportSources refuses, take the in-memory path (its errors included).
  if (opts.refs.length > 1 || opts.refs[0]?.includes('@')) {
    const sources = await reportSources({ refs: opts.refs, ...appOptions(ctx) });
    const { reportHtml } = await import('../render/html/report-file.js');
    const { html, summary } = reportHtml(sources);
    result = summary(await writeReportFile(ctx.cwd, opts.output, html, '-o', ctx.signal, print));
  } else {
    result = await runReport(ctx, opts, print);
  }
  if (opts.open) openReportFile(result.file, (message) => ctx.out.error(message));
  const { reportLines } = await import('../render/html/report-file.js');
  if (toStdout) return { data: result, text: () => [], after: () => reportLines(ctx.cwd, result, true) };
  return { data: result, text: () => reportLines(ctx.cwd, result, opts.open) };
}
