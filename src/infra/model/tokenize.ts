import { tokenCount } from './answer-fields.js';
import { abortReason, deadlineSignal, sleepUnlessAborted } from './abort.js';
import { CompletionError, describeNetworkError, redactedCompletionError } from './errors.js';
import { AnswerTooLargeError, httpFetch } from './http-fetch.js';
import { authHeaders } from './preflight.js';
import type { Replica, ReplicaSet } from './replicas.js';
import { delayBeforeRetry, retryAfterMs, type Failure } from './retry-policy.js';
import type { RetryPolicy, TokenizeInput } from './types.js';
import { serverErrorMessage } from './vllm-fetch.js';

/**
 * vLLM's /tokenize, for `lint --server`'s exact token counts: undefined where no replica has the
 * route (not vLLM, or a proxy that hides it). A transient failure (429, 5xx, a timeout, a reset) is
 * retried as a completion is, with backoff or the server's Retry-After, on another replica that has
 * the route when there is one: one busy moment of the server was exit 3 for the whole lint.
 */

interface TokenizerDeps {
  set: ReplicaSet;
  apiKey: string | undefined;
  timeoutMs: number;
  retries: RetryPolicy;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  wallNow: () => number;
}

/** One try's outcome: the count (undefined: no route), or the error and what the retry waits. */
type Tried = { count: number | undefined } | { error: CompletionError; failure: Failure };

export function tokenizer(d: TokenizerDeps) {
  return async function tokenize(model: string, input: TokenizeInput, signal?: AbortSignal): Promise<number | undefined> {
    const payload = 'prompt' in input ? { model, prompt: input.prompt } : { model, messages: input.messages };
    let last: Replica | undefined;
    let failed: CompletionError | undefined;
    for (let n = 1; ; n++) {
      const r = d.set.pickForTokenize(last);
      // No replica left with the route: the failure of one that has it, else no count (an estimate).
      if (!r) {
        if (failed) throw failed;
        return undefined;
      }
      last = r;
      const tried = await tryOn(d, r, payload, n, signal);
      if ('count' in tried) {
        // A retry that found a replica without the route costs no attempt: another may still have it.
        if (tried.count !== undefined || !failed) return tried.count;
        n--;
        continue;
      }
      failed = tried.error;
      if (!tried.error.transient || n >= d.retries.max_attempts) throw tried.error;
      const delay = delayBeforeRetry(tried.failure, n, d.retries, d.random);
      // As a completion's 429 (client.ts): the throttled replica waits, the retry goes to another at once.
      if (tried.failure.status === 429 && d.set.throttle(r, delay, (x) => !x.noTokenize)) continue;
      await sleepUnlessAborted(d.sleep, delay, signal);
    }
  };
}

async function tryOn(d: TokenizerDeps, r: Replica, payload: object, attempts: number, signal: AbortSignal | undefined): Promise<Tried> {
  const failed = (reason: string, f: Omit<Failure, 'reason'>, status?: number): Tried => ({
    error: redactedCompletionError({ message: `Token count failed on ${r.origin}/tokenize: ${reason}`, transient: f.transient, transport: f.transport, ...(status !== undefined ? { status } : {}), attempts, replica: r.baseUrl }, d.apiKey),
    failure: { ...f, reason, ...(status !== undefined ? { status } : {}) },
  });
  let res: Response;
  let text: string;
  // The request and its body within the timeout, which the caller's signal (Ctrl-C) also ends.
  const deadline = deadlineSignal(d.timeoutMs, signal);
  try {
    res = await httpFetch(`${r.origin}/tokenize`, { method: 'POST', headers: { 'content-type': 'application/json', ...authHeaders(d.apiKey) }, body: JSON.stringify(payload), signal: deadline.signal });
    text = await res.text();
  } catch (e) {
    // Stopped by the caller (Ctrl-C): no failure of the server's.
    if (signal?.aborted) throw abortReason(signal);
    if (e instanceof AnswerTooLargeError) return failed(e.message, { transient: true, transport: false });
    return failed(describeNetworkError(e), { transient: true, transport: true });
  } finally {
    deadline.unlink();
  }
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  // vLLM's own 404 for an unknown model carries an error object; a missing route does not.
  const modelMissing = res.status === 404 && body !== undefined && (body.object === 'error' || 'error' in body);
  if ((res.status === 404 && !modelMissing) || res.status === 405 || res.status === 501) {
    r.noTokenize = true;
    return { count: undefined };
  }
  if (!res.ok) {
    const transient = res.status === 429 || res.status >= 500;
    const wait = res.status === 429 ? retryAfterMs(res.headers, d.wallNow) : undefined;
    return failed(serverErrorMessage(body) ?? `HTTP ${res.status}`, { transient, transport: false, ...(wait !== undefined ? { retryAfterMs: wait } : {}) }, res.status);
  }
  // The route exists and answered: a count that is missing or not a whole number of 0 or more
  // (a proxy's {"count": -5} would pass any token_budget) is a malformed answer, not "no /tokenize".
  const count = tokenCount(body?.count);
  if (count === undefined) {
    const shape = body === undefined ? 'not JSON' : `count is ${JSON.stringify(body?.count ?? null).slice(0, 40)}, not a whole number of 0 or more`;
    return failed(`the answer is malformed (${shape})`, { transient: false, transport: false }, res.status);
  }
  return { count };
}
