import { formatErrorParts, type StopRecord } from '../core/errors.js';
import type { EvalReport, ProgressEvent } from '../core/schemas/report.js';
import type { Output } from './output.js';
import { latencyWords, NO_BOUND, NOT_A_DEPLOY_VERDICT } from './latency-words.js';
import { stderrLine } from './stderr-lines.js';

export { latencyWords, type LatencyWords } from './latency-words.js';
export { nothingFailingLines } from './nothing-failing.js';

/** What eval prints besides the table: the nothing-failing lines, the stop message, the live progress. */

/**
 * What an interleaved latency measurement found, one line per suite, with how it was measured:
 * time runs from when a request is sent (no client-side queue), and no answer came from the cache.
 */
export function latencyLines(report: EvalReport): string[] {
  if (!report.latency?.length) return [];
  const lines = ['latency, measured interleaved against the deployed version (cache bypassed; time from each request sent to its answer, no client-side queueing):'];
  for (const w of report.latency.map(latencyWords)) {
    lines.push(
      `  ${w.ref} ${w.suite} vs ${w.baseline}: p95 ${w.candidate} ms vs ${w.deployed} ms, ${w.rise} ms (${w.atLeast === null ? `no lower bound: ${NO_BOUND}` : `at least ${w.atLeast} ms at ${w.confidence}`}; limit ${w.limit} ms; ${w.requests} requests${w.selected ? `, ${w.selected} selected` : ''}): ${w.verdict}${w.selected ? `; ${NOT_A_DEPLOY_VERDICT}` : ''}`,
    );
  }
  return lines;
}

/** A stop as stderr shows it (eval's, ci's): `error:`, its problems, `why:`, `hint:`. */
export function formatStop(e: Parameters<typeof formatErrorParts>[0]): string {
  return formatErrorParts(e);
}

/**
 * Live progress for a long use case: the sink (ink on a terminal, plain lines otherwise), with
 * warnings printed as they come (`warning: …` on stderr; above the live view's frame, which would
 * erase a line written behind its back). `now` (the command's clock, in ms) paces the plain lines.
 */
export async function progressFor(out: Output, now: () => number): Promise<{ onEvent: (e: ProgressEvent) => void; stop: () => Promise<void> }> {
  const { startProgress } = await import('./progress-sink.js');
  const sink = await startProgress(out, now);
  return {
    onEvent: (e) => (e.type === 'warning' ? stderrLine(`warning: ${e.message}`, (line) => out.error(line)) : sink.onEvent(e)),
    stop: sink.stop,
  };
}

/**
 * The wordings app's runEval takes from render: baseline regressions, and the report files' formats
 * (loaded only when a file will be written: start-up time is measured).
 */
export async function evalWords(files: boolean) {
  const { baselineWithText } = await import('./gate-text.js');
  if (!files) return { wordBaseline: baselineWithText };
  const [{ evalJUnit }, { toMarkdownSummary }, { stopJUnit, stopMarkdown }] = await Promise.all([import('./junit.js'), import('./markdown.js'), import('./stop-report.js')]);
  const stopped = { junit: (e: StopRecord) => stopJUnit('eval', e), markdown: (e: StopRecord) => stopMarkdown('eval', e) };
  return { reportFormats: { junit: evalJUnit, markdown: toMarkdownSummary, stopped }, wordBaseline: baselineWithText };
}
