import type { ProgressEvent } from '../core/schemas/report.js';
import { callbackFailed } from './eval-verdict.js';

/**
 * A caller's `onProgress` (runEval, compare, runCi, lint). It may be async: its promise is not awaited
 * between events, so a slow dashboard never slows the eval, but every promise it returns is settled
 * before the eval judges its runs, and a rejection stops the eval exactly as a synchronous throw does
 * (exit 70, the callback's error as `cause`, the runs it stopped left aborted). A failure is never an
 * unhandled rejection. A promise that never settles holds the eval until `signal` aborts: then the
 * eval stops waiting for it (its runs were already sent and recorded).
 */
// Two members rather than `=> void | Promise<void>`: a function type returning void accepts any
// return (`(e) => events.push(e)`), which the union would refuse.
export type ProgressCallback<E = ProgressEvent> = ((e: E) => void) | ((e: E) => Promise<void>);

export interface CheckedProgress<E = ProgressEvent> {
  /** Calls the callback; throws its failure (this call's, or an earlier promise's) as `callbackFailed`. */
  onProgress: (e: E) => void;
  /** Waits for every promise the callback returned (until `signal` aborts); throws the first failure, if any. */
  settled: () => Promise<void>;
}

export function checkedProgress<E = ProgressEvent>(callback: ProgressCallback<E> | undefined, seen: (e: E) => void = () => {}, signal?: AbortSignal): CheckedProgress<E> {
  let failed: Error | undefined;
  const pending = new Set<Promise<unknown>>();
  const fail = (thrown: unknown): Error => (failed ??= callbackFailed('onProgress', thrown));
  return {
    onProgress(e) {
      seen(e);
      // A rejection that arrived since the last event stops the eval at this one, as a throw would.
      if (failed) throw failed;
      let returned: unknown;
      try {
        returned = callback?.(e);
      } catch (thrown) {
        throw fail(thrown);
      }
      if (!isThenable(returned)) return;
      const watched: Promise<unknown> = Promise.resolve(returned).then(
        () => pending.delete(watched),
        (thrown: unknown) => {
          fail(thrown);
          pending.delete(watched);
        },
      );
      pending.add(watched);
    },
    async settled() {
      while (pending.size && !signal?.aborted) await untilAborted(Promise.all([...pending]), signal);
      if (failed) throw failed;
    },
  };
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/** `work`, or the signal's abort if it comes first (a callback's promise may never settle). */
function untilAborted(work: Promise<unknown>, signal: AbortSignal | undefined): Promise<unknown> {
  if (!signal) return work;
  let stop = () => {};
  const aborted = new Promise<void>((resolve) => {
    stop = () => signal.removeEventListener('abort', resolve as () => void);
    signal.addEventListener('abort', resolve as () => void, { once: true });
  });
  return Promise.race([work, aborted]).finally(stop);
}

/**
 * A caller's `onEvaluation` (compare, runCi), which brackets each evaluation: its throw or rejection
 * is `callbackFailed`, as onProgress's is (exit 70, its error as `cause`). Bare, the error escaped
 * untyped, and runCi rejected with it instead of returning it in its result.
 * Except a 'stop' once `stopping.signal` has aborted: the interruption is the outcome then (its
 * exit code, 130, 143 or 129, is what the user asked for), so the failure of a callback torn down
 * by the same signal is said as a warning through `stopping.onProgress` instead of replacing it.
 */
export function checkedPhases(callback: ((phase: 'start' | 'stop') => void | Promise<void>) | undefined, stopping: { signal?: AbortSignal; onProgress?: ProgressCallback } = {}) {
  if (!callback) return undefined;
  return async (phase: 'start' | 'stop'): Promise<void> => {
    try {
      await callback(phase);
    } catch (thrown) {
      const failure = callbackFailed('onEvaluation', thrown);
      if (phase !== 'stop' || !stopping.signal?.aborted) throw failure;
      // Not awaited: the signal has aborted, and the work stops waiting on its callbacks then (as
      // checkedProgress's settled does). A dashboard that fails to hear the warning too, by a throw
      // or a rejection, has nothing left to tell.
      try {
        const heard = stopping.onProgress?.({ type: 'warning', message: failure.message });
        if (isThenable(heard)) Promise.resolve(heard).catch(() => undefined);
      } catch {
        // As above.
      }
    }
  };
}
