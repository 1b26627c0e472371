import { CiOptions, runCi, type CiResult } from '../app/ci.js';
import type { ProgressEvent } from '../core/schemas/report.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl ci`: parses options, runs `runCi` with live progress, writes the HTML report if asked, prints the summary. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<CiResult>> {
  const opts = CiOptions.parse(raw);
  const [{ ciMarkdown, ciJUnit, ciText }, { progressFor, evalWords }] = await Promise.all([import('../render/ci-summary.js'), import('../render/eval-text.js')]);
  const { wordBaseline } = await evalWords(false);
  let progress: { onEvent: (e: ProgressEvent) => void; stop: () => Promise<void> } | undefined;
  const result = await runCi({
    ...opts,
    ...appOptions(ctx),
    formats: { markdown: ciMarkdown, junit: ciJUnit },
    wordBaseline,
    onProgress: (e) => progress?.onEvent(e),
    onEvaluation: async (phase) => {
      if (phase === 'start') progress = await progressFor(ctx.out, () => ctx.clock.now());
      else await progress?.stop();
    },
  });
  const htmlLine: string[] = [];
  if (opts.html) {
    const { reportHtml, ciHtmlLine } = await import('../render/html/report-file.js');
    let file: string | undefined;
    if (result.report) {
      const { evalReportSources, writeReportFile } = await import('../app/report.js');
      const { html } = reportHtml(await evalReportSources({ report: result.report, ...appOptions(ctx) }));
      file = writeReportFile(ctx.cwd, opts.html, html, '--html');
    }
    htmlLine.push(ciHtmlLine(ctx.cwd, file));
  }
  // On GitHub Actions the lint problems and failed suites also become annotations on the pull request.
  const annotations = ctx.env.GITHUB_ACTIONS === 'true' ? (await import('../render/github-annotations.js')).githubAnnotations(result) : [];
  // A server that stopped the eval is said on stderr as eval says it: what happened, why, what to do.
  if (result.verdict === 'server-unavailable' && result.error && !ctx.out.json) {
    const { formatStop } = await import('../render/eval-text.js');
    ctx.out.error(formatStop(result.error));
  }
  return { data: result, exitCode: result.exitCode, text: () => [...ciText(result, { color: ctx.out.color, width: ctx.out.width }), ...htmlLine, ...annotations] };
}
