import type { ProgressEvent } from '../core/schemas/report.js';
import { sampleFailureText } from './failure-text.js';
import { wrapWidth } from './table.js';
import { duration, oneLine } from './text.js';
import { redactServerError } from '../core/detectors/redact.js';

/**
 * The state behind both progress renderers (ink view and plain lines). It takes 100,000 samples
 * in constant memory: counts, a log-bucket latency histogram (about 1% relative error, no sample
 * storage, deterministic unlike a random reservoir), and the last few failures, worded only when
 * shown (wording redacts the output: a run with 100,000 failures must not pay for each). `snapshot`
 * returns a plain immutable object, so views only ever draw from data.
 */

/** Relative width of one histogram bucket: percentiles are within ~1% of the exact value. */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** 1.01^2400 ms is about 700 hours: every latency a run can see fits. */
const BUCKETS = 2400;

/** Streaming latency percentiles over a fixed array of log-spaced buckets. */
export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  private n = 0;
  private min = Infinity;
  private max = -Infinity;

  add(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const i = Math.min(BUCKETS - 1, Math.floor(Math.log1p(ms) / LOG_GROWTH));
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.n += 1;
    this.min = Math.min(this.min, ms);
    this.max = Math.max(this.max, ms);
  }

  get count(): number {
    return this.n;
  }

  /** The p-th percentile (0..100) by nearest rank, or null before the first value. */
  percentile(p: number): number | null {
    if (this.n === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.n));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) {
        // Middle of the bucket, clamped to what was actually seen (exact when all values are equal).
        const mid = (Math.pow(GROWTH, i) + Math.pow(GROWTH, i + 1)) / 2 - 1;
        return Math.min(this.max, Math.max(this.min, mid));
      }
    }
    return this.max;
  }
}

/** One failed or errored sample, ready to print on one line. */
export interface FailureLine {
  kind: 'fail' | 'error';
  /** `support-faq@1.1.0 faq/refund-window#0` */
  where: string;
  /** `contains "30 days" — got "I'm not sure..."` or the error message. */
  detail: string;
}

export interface ProgressSnapshot {
  label: string;
  total: number;
  /** Samples recorded by an earlier invocation (--resume): skipped, not part of `total`. */
  resumed: number;
  done: number;
  passed: number;
  failed: number;
  errored: number;
  /** Samples answered from the cache so far. */
  cached: number;
  p50: number | null;
  p95: number | null;
  elapsedMs: number;
  /** Remaining time at the rate of live (uncached) samples; null until that rate is known. */
  etaMs: number | null;
  /** 0..1 */
  fraction: number;
  recentFailures: FailureLine[];
  notices: string[];
  ended: boolean;
}

/**
 * How an ended run is named: `stopped` when fewer samples came back than were planned (Ctrl-C, a
 * server that went away), else `done`. The one rule of the ink view and the plain lines.
 */
export function endWord(s: Pick<ProgressSnapshot, 'done' | 'total'>): 'done' | 'stopped' {
  return s.total > 0 && s.done < s.total ? 'stopped' : 'done';
}

/** The live view's progress text beside its bar: `10/190 5% · 2s · eta 1m 05s`, and `stopped` or `done` once the run ended. */
export function liveProgressText(s: ProgressSnapshot): string {
  const total = s.total > 0 ? `${s.done}/${s.total} ${Math.floor(s.fraction * 100)}%` : `${s.done}`;
  const eta = s.ended ? endWord(s) : s.etaMs === null ? 'eta –' : `eta ${duration(s.etaMs)}`;
  return `${total} · ${duration(s.elapsedMs)} · ${eta}`;
}

/** `FAIL support-faq@1.1.0 faq/refund-window#0: contains "30 days" — got "I'm not sure..."` */
export function formatFailureLine(f: FailureLine): string {
  return `${f.kind === 'fail' ? 'FAIL' : 'ERROR'} ${f.where}: ${f.detail}`;
}

/** Lines a failure may take in the live view: ink clears the whole screen, scrollback too, once a frame is as tall as the terminal. */
export const LIVE_FAILURE_LINES = 2;

/**
 * A failure as the live view draws it, `FAIL ` or `ERROR` first: wrapped to the terminal's width
 * (the difference a reason shows is at its end), in at most LIVE_FAILURE_LINES lines.
 */
export function liveFailureLines(f: FailureLine, width: number): string[] {
  return wrapWidth(`${f.kind === 'fail' ? 'FAIL ' : 'ERROR'} ${f.where}: ${f.detail}`, Math.max(20, width), LIVE_FAILURE_LINES);
}

export type SampleEvent = Extract<ProgressEvent, { type: 'sample' }>;

export function failureFromSample(e: SampleEvent): FailureLine | null {
  const r = e.result;
  if (r.verdict === 'pass') return null;
  const where = `${e.promptId}@${e.version}${e.model ? `:${e.model}` : ''} ${e.suite}/${r.caseId}#${r.sample}`;
  // A server's error body may echo the request (the system prompt, its canary, a customer's data): masked as every other report masks it.
  if (r.verdict === 'error') return { kind: 'error', where, detail: oneLine(redactServerError(r.error ?? 'unknown error'), 120) };
  return { kind: 'fail', where, detail: sampleFailureText(r) };
}

export interface ProgressModelOptions {
  /** How many recent failures to keep for display. */
  keepFailures?: number;
}

export class ProgressModel {
  private label = '';
  private total = 0;
  private resumed = 0;
  private passed = 0;
  private failed = 0;
  private errored = 0;
  private cached = 0;
  private liveDone = 0;
  private startedAt: number | null = null;
  private ended = false;
  private readonly latencies = new LatencyHistogram();
  /** The latest failed or errored samples, each worded the first time a snapshot shows it. */
  private readonly failures: Array<{ event: SampleEvent; line?: FailureLine }> = [];
  private readonly notices: string[] = [];
  private readonly keep: number;

  constructor(opts: ProgressModelOptions = {}) {
    this.keep = opts.keepFailures ?? 5;
  }

  /** Folds one event in; returns it when it is a failed or errored sample, for reporters that print it (`failureFromSample`). */
  apply(e: ProgressEvent, now: number): SampleEvent | null {
    this.startedAt ??= now;
    switch (e.type) {
      case 'start':
        // The runner sends one start per invocation; a later one (e.g. after planning more runs) replaces it.
        this.total = e.total;
        this.resumed = e.resumed;
        this.label = e.label;
        return null;
      case 'notice':
        this.notices.push(e.message);
        if (this.notices.length > 3) this.notices.shift();
        return null;
      case 'end':
        this.ended = true;
        return null;
      case 'warning':
        // Printed as it comes (`warning: …` on stderr) by the command, not kept in the view.
        return null;
      case 'sample':
        return this.addSample(e);
    }
  }

  private addSample(e: SampleEvent): SampleEvent | null {
    const r = e.result;
    if (r.verdict === 'pass') this.passed += 1;
    else if (r.verdict === 'fail') this.failed += 1;
    else this.errored += 1;
    if (r.cached) this.cached += 1;
    else this.liveDone += 1;
    // Errored requests have no meaningful latency (often the timeout itself). Cached answers keep the
    // latency recorded when they were fetched, as the final table does, so both show the same figures.
    if (r.verdict !== 'error') this.latencies.add(r.latencyMs);
    if (r.verdict === 'pass') return null;
    this.failures.push({ event: e });
    if (this.failures.length > this.keep) this.failures.shift();
    return e;
  }

  snapshot(now: number): ProgressSnapshot {
    const done = this.passed + this.failed + this.errored;
    const elapsedMs = this.startedAt === null ? 0 : Math.max(0, now - this.startedAt);
    return {
      label: this.label,
      total: this.total,
      resumed: this.resumed,
      done,
      passed: this.passed,
      failed: this.failed,
      errored: this.errored,
      cached: this.cached,
      p50: this.latencies.percentile(50),
      p95: this.latencies.percentile(95),
      elapsedMs,
      etaMs: this.eta(done, elapsedMs),
      fraction: this.total > 0 ? Math.min(1, done / this.total) : 0,
      recentFailures: this.failures.map((f) => (f.line ??= failureFromSample(f.event)!)),
      notices: [...this.notices],
      ended: this.ended,
    };
  }

  /**
   * Cached samples arrive almost at once, so they would make the rate look far too fast: the
   * estimate uses the rate of live samples only.
   */
  private eta(done: number, elapsedMs: number): number | null {
    if (this.ended || this.total === 0) return this.ended ? 0 : null;
    if (done >= this.total) return 0;
    if (this.liveDone === 0 || elapsedMs <= 0) return null;
    return ((this.total - done) / this.liveDone) * elapsedMs;
  }
}
