import type { ProgressEvent } from '../core/schemas/report.js';
import { callbackFailed } from './eval-verdict.js';

/**
 * A caller's `onProgress` (runEval, compare, runCi). It may be async: its promise is not awaited
 * between events, so a slow dashboard never slows the eval, but every promise it returns is settled
 * before the eval judges its runs, and a rejection stops the eval exactly as a synchronous throw does
 * (exit 70, the callback's error as `cause`, the runs it stopped left aborted). A failure is never an
 * unhandled rejection.
 */
// Two members rather than `=> void | Promise<void>`: a function type returning void accepts any
// return (`(e) => events.push(e)`), which the union would refuse.
export type ProgressCallback = ((e: ProgressEvent) => void) | ((e: ProgressEvent) => Promise<void>);

export interface CheckedProgress {
  /** Calls the callback; throws its failure (this call's, or an earlier promise's) as `callbackFailed`. */
  onProgress: (e: ProgressEvent) => void;
  /** Waits for every promise the callback returned; throws the first failure, if any. */
  settled: () => Promise<void>;
}

export function checkedProgress(callback: ProgressCallback | undefined, seen: (e: ProgressEvent) => void = () => {}): CheckedProgress {
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
      while (pending.size) await Promise.all([...pending]);
      if (failed) throw failed;
    },
  };
}

function isThenable(x: unknown): x is PromiseLike<unknown> {
  return (typeof x === 'object' || typeof x === 'function') && x !== null && typeof (x as { then?: unknown }).then === 'function';
}
