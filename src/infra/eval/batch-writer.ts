import type { Clock } from '../clock.js';

/**
 * When the executor writes results: a batch per transaction keeps a fast run cheap, and a time
 * bound keeps a slow one safe. Entries are written when `batchSize` are pending, or once
 * `maxDelayMs` has passed since the last write (at once if it already has, otherwise by a timer),
 * so a process killed with SIGKILL loses at most about `maxDelayMs` of answers, whatever the
 * server's speed.
 */

export interface BatchWriterOptions<T> {
  /** Writes one batch (one transaction). */
  write: (batch: T[]) => void;
  batchSize: number;
  maxDelayMs: number;
  clock: Clock;
}

export interface BatchWriter<T> {
  add(entry: T): void;
  /** Writes whatever is pending now (also the end of a run). */
  flush(): void;
  readonly pending: number;
}

export function createBatchWriter<T>(opts: BatchWriterOptions<T>): BatchWriter<T> {
  let pending: T[] = [];
  let lastWrite = opts.clock.now();
  let cancelTimer: (() => void) | undefined;
  // A write that failed inside the timer has no caller to throw to: the next add or flush throws it.
  let failure: unknown;

  const rethrow = () => {
    if (failure === undefined) return;
    const e = failure;
    failure = undefined;
    throw e;
  };

  function flush(): void {
    cancelTimer?.();
    cancelTimer = undefined;
    rethrow();
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    lastWrite = opts.clock.now();
    opts.write(batch);
  }

  function add(entry: T): void {
    rethrow();
    pending.push(entry);
    const waited = opts.clock.now() - lastWrite;
    if (pending.length >= opts.batchSize || waited >= opts.maxDelayMs) return flush();
    cancelTimer ??= opts.clock.after(opts.maxDelayMs - waited, () => {
      cancelTimer = undefined;
      try {
        flush();
      } catch (e) {
        failure = e;
      }
    });
  }

  return {
    add,
    flush,
    get pending() {
      return pending.length;
    },
  };
}
