import type { ProgressEvent } from '../core/schemas/report.js';
import { endWord, failureFromSample, formatFailureLine, ProgressModel, type ProgressSnapshot } from './progress-model.js';
import { counted, duration, ms, oneLine } from './text.js';

/**
 * Progress for logs (CI, pipes): plain lines, never cursor movement. A 100,000-sample run must not
 * produce 100,000 lines, so progress is printed at most once per interval and failures up to a cap;
 * the totals and the JUnit/Markdown reports carry the rest. Model text is flattened to one line and
 * stripped of control characters, so an output cannot forge log lines or CI workflow commands.
 */

export interface PlainProgressOptions {
  /** Least time between two progress lines. */
  intervalMs?: number;
  /** Failure and error lines printed before the rest are only counted. */
  maxFailureLines?: number;
}

export interface PlainProgress {
  onEvent(e: ProgressEvent): void;
  /** Prints the hidden-failure count and the final line (if a run started); safe to call more than once. */
  finish(): void;
}

function counts(s: ProgressSnapshot): string {
  const cached = s.cached > 0 ? ` cached ${s.cached}` : '';
  return `pass ${s.passed} fail ${s.failed} error ${s.errored}${cached} p50 ${ms(s.p50)} p95 ${ms(s.p95)}`;
}

/** `progress 120/2000 (6%) pass 110 fail 8 error 2 p50 41ms p95 90ms eta 12s` */
export function formatProgressLine(s: ProgressSnapshot): string {
  const total = s.total > 0 ? `/${s.total} (${Math.floor(s.fraction * 100)}%)` : '';
  const eta = s.etaMs === null ? '' : ` eta ${duration(s.etaMs)}`;
  return `progress ${s.done}${total} ${counts(s)}${eta}`;
}

/**
 * `done 2000/2000 pass 1990 fail 8 error 2 p50 41ms p95 90ms in 1m 12s`; after --resume,
 * `done 162/162 sent, 32 resumed pass ...` (the resumed samples were recorded by an earlier run).
 */
export function formatFinalLine(s: ProgressSnapshot): string {
  const total = s.total > 0 ? `/${s.total}` : '';
  const resumed = s.resumed > 0 ? ` sent, ${s.resumed} resumed` : '';
  return `${endWord(s)} ${s.done}${total}${resumed} ${counts(s)} in ${duration(s.elapsedMs)}`;
}

function plural(n: number, word: string): string {
  return counted(n, `more ${word}`);
}

export function createPlainProgress(
  write: (line: string) => void,
  now: () => number,
  opts: PlainProgressOptions = {},
): PlainProgress {
  const interval = opts.intervalMs ?? 1000;
  const maxFailureLines = opts.maxFailureLines ?? 20;
  const model = new ProgressModel();
  let lastLineAt: number | null = null;
  let shownProblems = 0;
  let hiddenFailures = 0;
  let hiddenErrors = 0;
  let finished = false;
  // No start, nothing dispatched (a failed preflight, nothing to re-run): no summary line to print.
  let started = false;

  // Plain functions, not methods, so callers may pass `reporter.onEvent` around unbound.
  function finish(): void {
    if (finished) return;
    finished = true;
    if (!started) return;
    const hidden = [hiddenFailures > 0 ? plural(hiddenFailures, 'failure') : '', hiddenErrors > 0 ? plural(hiddenErrors, 'error') : '']
      .filter(Boolean)
      .join(' and ');
    if (hidden) write(`... ${hidden} not shown`);
    write(formatFinalLine(model.snapshot(now())));
  }

  function onEvent(e: ProgressEvent): void {
    if (finished) return;
    const t = now();
    // The interval counts from the first event, so a run that ends within a second prints no progress line.
    lastLineAt ??= t;
    const failure = model.apply(e, t);
    if (e.type === 'start') {
      started = true;
      const resumed = e.resumed > 0 ? ` to send, ${e.resumed} resumed` : '';
      write(`eval ${oneLine(e.label, 120)}: ${e.total} ${e.total === 1 ? 'sample' : 'samples'}${resumed}`);
    } else if (e.type === 'notice') {
      write(`note: ${oneLine(e.message, 200)}`);
    } else if (e.type === 'end') {
      finish();
      return;
    }
    if (failure) {
      if (shownProblems < maxFailureLines) {
        shownProblems += 1;
        write(formatFailureLine(failureFromSample(failure)!));
      } else if (failure.result.verdict === 'fail') hiddenFailures += 1;
      else hiddenErrors += 1;
    }
    if (e.type === 'sample' && t - lastLineAt >= interval) {
      lastLineAt = t;
      write(formatProgressLine(model.snapshot(t)));
    }
  }

  return { onEvent, finish };
}
