import type { Clock } from '../clock.js';

/**
 * When the executor writes results: a batch per transaction keeps a fast run cheap, and a time
 * bound keeps a slow one safe. Entries are written when `batchSize` are pending, or once
 * `maxDelayMs` has passed since the last write (at once if it already has, otherwise by a timer),
 * so a process killed with SIGKILL loses at most about `maxDelayMs` of answers, whatever the
 * server's speed. A write is asynchronous: writes run one after another, in order, and the caller
 * whose entry filled a batch waits for it (so a fast server cannot outrun the registry).
 */

export interface BatchWriterOptions<T> {
  /** Writes one batch (one transaction). */
  write: (batch: T[]) => Promise<void> | void;
  batchSize: number;
  maxDelayMs: number;
  clock: Clock;
}

export interface BatchWriter<T> {
  /** Resolves once the entry is pending, or written when it completed a batch. */
  add(entry: T): Promise<void>;
  /** Writes whatever is pending now (also the end of a run), after the writes already started. */
  flush(): Promise<void>;
  readonly pending: number;
}

export function createBatchWriter<T>(opts: BatchWriterOptions<T>): BatchWriter<T> {
  let pending: T[] = [];
  let lastWrite = opts.clock.now();
  let cancelTimer: (() => void) | undefined;
  // A write that failed inside the timer has no caller to throw to: the next add or flush throws it.
  let failure: unknown;
  // The writes started and not yet settled, chained in order; never rejects (failures go to `failure`).
  let writing: Promise<void> | undefined;

  const rethrow = () => {
    if (failure === undefined) return;
    const e = failure;
    failure = undefined;
    throw e;
  };

  /** Starts writing what is pending: at once when no write is in flight, else after the last one. */
  function startWrite(): void {
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    lastWrite = opts.clock.now();
    const write = async () => {
      try {
        await opts.write(batch);
      } catch (e) {
        failure ??= e;
      }
    };
    const mine: Promise<void> = (writing ? writing.then(write) : write()).finally(() => {
      if (writing === mine) writing = undefined;
    });
    writing = mine;
  }

  async function flush(): Promise<void> {
    cancelTimer?.();
    cancelTimer = undefined;
    rethrow();
    startWrite();
    if (writing) await writing;
    rethrow();
  }

  async function add(entry: T): Promise<void> {
    rethrow();
    pending.push(entry);
    const waited = opts.clock.now() - lastWrite;
    if (pending.length >= opts.batchSize || waited >= opts.maxDelayMs) return flush();
    cancelTimer ??= opts.clock.after(opts.maxDelayMs - waited, () => {
      cancelTimer = undefined;
      startWrite();
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
