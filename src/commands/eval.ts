import { z } from 'zod';
import { InterruptedError } from '../core/errors.js';
import type { EvalReport } from '../core/schemas/report.js';
import { EvalOptions, runEval, type EvalResult, type EvalStop } from '../app/eval.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

const EvalCliOptions = EvalOptions.extend({ json: z.boolean().default(false) });

/** `promptctl eval`: parses options, runs `runEval` with live progress, prints the table or the stop. */

/** `--json` leads with what the run came to, as `ci --json` and the library's `EvalResult` do: a consumer need not recompute it. */
type EvalJson = { verdict: EvalResult['verdict']; exitCode: number } & EvalReport & { error?: EvalStop };

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<EvalJson>> {
  const { json, ...parsed } = EvalCliOptions.parse(raw);
  // Only the terminal table is wanted: it shows summaries and failures, not every passing case.
  const keepPassingCases = Boolean(json || parsed.junit || parsed.summary || ctx.env.GITHUB_STEP_SUMMARY);
  const { progressFor, evalWords, formatStop, nothingFailingLines, latencyLines } = await import('../render/eval-text.js');
  // The JUnit and Markdown writers load only when a file will be written.
  const words = await evalWords(Boolean(parsed.junit || parsed.summary || ctx.env.GITHUB_STEP_SUMMARY));
  const { formatFinalTable } = await import('../render/final-table.js');
  const progress = await progressFor(ctx.out, () => ctx.clock.now());
  let result: EvalResult;
  try {
    result = await runEval({
      ...parsed,
      keepPassingCases,
      ...words,
      ...appOptions(ctx),
      onProgress: progress.onEvent,
    });
  } catch (e) {
    await progress.stop();
    if (!(e instanceof InterruptedError) || !e.partial) throw e;
    // The report (JSON or table) still goes to stdout with every scored and not-run case; the error
    // follows it on stderr, so a terminal's last lines say the run was interrupted.
    const { report, error } = e.partial as EvalResult;
    const stop = formatStop(e);
    return { data: { verdict: 'interrupted', exitCode: e.exitCode, ...report, error }, exitCode: e.exitCode, text: () => [formatFinalTable(report, { color: ctx.out.color, width: ctx.out.width, whyFailed: true, headline: false })], after: () => [stop] };
  }
  await progress.stop();
  const { report } = result;
  if (result.verdict === 'stopped' && result.error) {
    const { error } = result;
    return { data: { verdict: result.verdict, exitCode: error.exitCode, ...report, error }, exitCode: error.exitCode, text: () => [formatFinalTable(report, { color: ctx.out.color, width: ctx.out.width, whyFailed: true })], after: () => [formatStop(error)] };
  }
  if (result.verdict === 'recorded') {
    const { shardRecordedLines } = await import('../render/shard-text.js');
    return { data: { verdict: result.verdict, exitCode: result.exitCode, ...report }, exitCode: result.exitCode, text: () => shardRecordedLines(report, 'promptctl eval --merge') };
  }
  const { mergeLines } = await import('../render/shard-text.js');
  const table = report.runs.length ? [formatFinalTable(report, { color: ctx.out.color, width: ctx.out.width, whyFailed: true })] : [];
  return { data: { verdict: result.verdict, exitCode: result.exitCode, ...report }, exitCode: result.exitCode, text: () => [...table, ...latencyLines(report), ...nothingFailingLines(report), ...mergeLines(report.merge)] };
}
