/**
 * A request's abort signal: what an aborted request throws, the signal one attempt hands the SDK,
 * and the wait before a retry, which an abort cuts short.
 */

/** The error an aborted request throws: the signal's reason when it is an Error. */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted.', 'AbortError');
}

/** For each run-wide signal, the attempts' controllers it aborts: one listener on it, however many attempts. */
const attemptsOf = new WeakMap<AbortSignal, Set<AbortController>>();

/**
 * A child signal per attempt: the SDK never removes its listener from the signal it gets, and a
 * run-wide signal shared by thousands of requests would pile them up. `unlink` when the attempt ends.
 * The run-wide signal gets one listener for all its attempts: adding and removing an event
 * listener per request cost about 8 µs each (Node's EventTarget), a tenth of promptctl's own CPU
 * per request.
 */
export function attemptSignal(signal: AbortSignal): { signal: AbortSignal; unlink: () => void } {
  const c = new AbortController();
  if (signal.aborted) {
    c.abort(signal.reason);
    return { signal: c.signal, unlink: () => undefined };
  }
  let attempts = attemptsOf.get(signal);
  if (!attempts) {
    const live = (attempts = new Set());
    attemptsOf.set(signal, live);
    signal.addEventListener('abort', () => {
      for (const a of live) a.abort(signal.reason);
      live.clear();
    }, { once: true });
  }
  attempts.add(c);
  const live = attempts;
  return { signal: c.signal, unlink: () => void live.delete(c) };
}

/**
 * `sleep(ms)`, unless `signal` aborts first (or already has): then it rejects with the abort's
 * reason. `sleep` is given the signal too, so that its timer ends with it.
 */
export async function sleepUnlessAborted(sleep: (ms: number, signal?: AbortSignal) => Promise<void>, ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return sleep(ms);
  // An abort event has already fired: no listener would hear it, and the full pause would be slept.
  if (signal.aborted) throw abortReason(signal);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([sleep(ms, signal), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

/**
 * A deadline of `ms` that the caller's `signal` also ends (the preflight's GETs): a timeout aborts
 * with a TimeoutError (said as "timed out"), the caller with its own reason. `unlink` when done.
 */
export function deadlineSignal(ms: number, signal?: AbortSignal): { signal: AbortSignal; unlink: () => void } {
  const c = new AbortController();
  // A deadline that fires long after it was due found the process itself stalled (a synchronous
  // wait: SQLite waiting out another process's lock while the registry opens): the answer may be
  // waiting unread. It is given one more short window, with the event loop free, before it counts
  // as the server's timeout.
  // Once only, and measured on the monotonic clock (a wall-clock step is no stall).
  const grace = Math.min(ms, 1000);
  const due = performance.now() + ms;
  let graced = false;
  let timer: NodeJS.Timeout;
  const expire = (): void => {
    if (!graced && performance.now() - due > grace) {
      graced = true;
      timer = setTimeout(expire, grace);
      return;
    }
    c.abort(new DOMException('The operation timed out.', 'TimeoutError'));
  };
  timer = setTimeout(expire, ms);
  const onAbort = (): void => c.abort(signal!.reason);
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: c.signal,
    unlink: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}
