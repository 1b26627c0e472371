import { CiOptions, runCi, type CiResult } from '../app/ci.js';
import type { ProgressEvent } from '../core/schemas/report.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl ci`: parses options, runs `runCi` with live progress and the wording of its files, prints the summary. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<CiResult>> {
  const opts = CiOptions.parse(raw);
  const [{ ciFormats }, { ciText }, { progressFor }, { ciBaselineWords }] = await Promise.all([import('../render/ci-summary.js'), import('../render/ci-text.js'), import('../render/eval-text.js'), import('../render/ci-baseline-text.js')]);
  let progress: { onEvent: (e: ProgressEvent) => void; stop: () => Promise<void> } | undefined;
  const result = await runCi({
    ...opts,
    ...appOptions(ctx),
    formats: await ciFormats(Boolean(opts.html)),
    wordBaseline: ciBaselineWords(opts),
    onProgress: (e) => progress?.onEvent(e),
    onEvaluation: async (phase) => {
      if (phase === 'start') progress = await progressFor(ctx.out, () => ctx.clock.now());
      else await progress?.stop();
    },
  });
  const htmlLine: string[] = [];
  if (opts.html) htmlLine.push((await import('../render/html/report-file.js')).ciHtmlLine(ctx.cwd, result.htmlFile));
  // On GitHub Actions the lint problems, failed suites and the error that stopped ci also become
  // annotations on the pull request. Under --json stdout is one JSON document, so they go to stderr,
  // whose workflow commands the runner reads as it reads stdout's (actions/runner ScriptHandler.cs).
  const annotations = ctx.env.GITHUB_ACTIONS === 'true' ? (await import('../render/github-annotations.js')).githubAnnotations(result) : [];
  if (ctx.out.json) for (const a of annotations) ctx.out.error(a);
  // An error that stopped ci is said on stderr as every error is (under --json too, as for a refused
  // deploy): what happened, why, what to do; after the summary, so a terminal's last lines say it.
  const { formatStop } = await import('../render/eval-text.js');
  const stop = result.error ? [formatStop(result.error)] : [];
  return { data: result, exitCode: result.exitCode, text: () => [...ciText(result, { color: ctx.out.color, width: ctx.out.width }), ...htmlLine, ...(ctx.out.json ? [] : annotations)], after: () => stop };
}
