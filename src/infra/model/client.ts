/**
 * The model client: chat completions through the openai SDK (one SDK client per vLLM replica,
 * SDK retries off), with our own retries for transient errors, a circuit breaker, and
 * least-in-flight balancing over replicas that ejects a failing one for a while (replicas.ts).
 * Health, model list and /tokenize use the same keep-alive fetch (http-fetch.ts) without the SDK.
 * The per-request path is kept thin (no logging, no extra timers) so an eval costs about what a
 * bare loop of SDK calls costs.
 */
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { InputError } from '../../core/errors.js';
import { systemClock } from '../clock.js';
import { abortReason, attemptSignal, sleepUnlessAborted } from './abort.js';
import { pauseUnlessStopped } from '../pause.js';
import { toBody, toResult } from './chat-wire.js';
import { CircuitOpenError, CompletionError, KeyRejectedError, redact, withoutApiKey } from './errors.js';
import { finalCompletionError } from './final-error.js';
import { tokenizer } from './tokenize.js';
import { keyHint, keyWhy } from './preflight.js';
import { preflightReplicas } from './preflight-replicas.js';
import { isRedirect, redirectedRequest, type RedirectedError } from './redirect.js';
import { missingServerFeature } from './server-features.js';
import { createReplicaSet, REPLICA_COOLDOWN_MS, type Lease, type Replica } from './replicas.js';
import { classify, delayBeforeRetry, serverDown, serverUnusable, type Failure } from './retry-policy.js';
import type { CompletionRequest, CompletionResult, ModelClient, ModelClientOptions } from './types.js';

export function createModelClient(opts: ModelClientOptions): ModelClient {
  if (opts.baseUrls.length === 0) throw new InputError({ message: 'No server base URL configured.', hint: 'Set server.base_url in .promptrc.yaml.' });
  const { apiKey, retries } = opts;
  const timeoutMs = Math.max(1, Math.round(opts.timeoutMs));
  // A retry's pause ends with `signal`, timer and all (a Retry-After is honoured up to 60 s).
  const clock = opts.clock ?? systemClock;
  // The clock's own timer, called as its method (a class's `after` reads its `this`).
  const after = clock.after ? (ms: number, fn: () => void) => clock.after!(ms, fn) : undefined;
  const sleep = opts.sleep ?? ((ms: number, signal?: AbortSignal) => pauseUnlessStopped(ms, signal, after));
  const random = opts.random ?? Math.random;
  const set = createReplicaSet({
    baseUrls: opts.baseUrls,
    apiKey,
    timeoutMs,
    cooldownMs: opts.replicaCooldownMs ?? REPLICA_COOLDOWN_MS,
    now: () => clock.now(),
  });
  /** Requests in a row that failed for good because the server could not serve (serverUnusable: down, or 429 or an unreadable body after every retry). */
  let downFailures = 0;
  let lastDownReason = '';
  let open = false;
  /** Set when the server refused the key or redirects: no request after that can succeed. */
  let stopped: KeyRejectedError | RedirectedError | undefined;
  /** Replicas already named in a preflight warning (preflight runs once per model). */
  const warned = new Set<string>();

  async function attempt(r: Replica, body: ChatCompletionCreateParamsNonStreaming, signal?: AbortSignal): Promise<CompletionResult> {
    r.inFlight++;
    const child = signal && attemptSignal(signal);
    try {
      const sdk = await r.sdk();
      const started = clock.now();
      const res = await sdk.chat.completions.create(body, child ? { signal: child.signal } : undefined);
      return withoutApiKey(toResult(res, body, r.baseUrl, clock.now() - started), apiKey);
    } finally {
      r.inFlight--;
      child?.unlink();
    }
  }

  function finalError(f: Failure, r: Replica, attempts: number): CompletionError {
    // A 400 or 404 is the request's fault. A 429 or an unreadable body is retried with backoff
    // first; one that outlasts every retry, like a 5xx, says the server cannot serve this run.
    if (serverUnusable(f)) {
      downFailures++;
      lastDownReason = f.reason;
      if (downFailures >= opts.breakerThreshold) open = true;
    }
    return finalCompletionError(f, r.baseUrl, attempts, apiKey);
  }

  async function complete(req: CompletionRequest, signal?: AbortSignal): Promise<CompletionResult> {
    const body = toBody(req);
    let last: Replica | undefined;
    for (let n = 1; ; n++) {
      if (stopped) throw stopped;
      if (open) throw new CircuitOpenError(downFailures, opts.baseUrls, redact(lastDownReason, apiKey));
      if (signal?.aborted) throw abortReason(signal);
      // A retry goes to another healthy replica when there is one.
      const lease: Lease = set.pick(last);
      const r = (last = lease.replica);
      try {
        const result = await attempt(r, body, signal);
        set.succeeded(lease);
        downFailures = 0;
        if (n > 1) result.attempts = n;
        return result;
      } catch (e) {
        if (signal?.aborted) {
          set.failed(lease, false);
          throw abortReason(signal);
        }
        const f = classify(e, timeoutMs, () => clock.date().getTime());
        const missing = missingServerFeature(f);
        if (missing) {
          set.failed(lease, false);
          throw missing;
        }
        if (f.status === 401 || f.status === 403) {
          set.failed(lease, false);
          stopped = new KeyRejectedError(f.status, r.baseUrl, keyWhy(opts.apiKeyEnv, apiKey), keyHint(opts.apiKeyEnv, apiKey));
          throw stopped;
        }
        // A redirect (a sign-in proxy in front of the server, a moved host) is followed by no
        // request: each would be redirected alike, so the run stops as a refused key stops it.
        if (isRedirect(f.status)) {
          set.failed(lease, false);
          throw (stopped = redirectedRequest(r.baseUrl, f.status!, f.location, apiKey));
        }
        const down = serverDown(f);
        set.failed(lease, down);
        // A probe that finds its replica still down costs the request no attempt (and no backoff)
        // while another replica serves: probing is the client's business, not the request's.
        if (lease.probe && down && set.anyHealthy()) {
          n--;
          continue;
        }
        if (!f.transient || n >= retries.max_attempts) throw finalError(f, r, n);
        const delay = delayBeforeRetry(f, n, retries, random);
        // A throttled replica waits out its Retry-After alone: with another healthy replica, the
        // retry goes there at once (before, each request waited up to 60 s first, and the replica,
        // quick to answer 429, kept drawing first attempts).
        if (f.status === 429 && set.throttle(r, delay)) continue;
        await sleepUnlessAborted(sleep, delay, signal);
      }
    }
  }

  const tokenize = tokenizer({ set, apiKey, timeoutMs, retries, sleep, random, wallNow: () => clock.date().getTime() });

  return {
    preflight: (model: string, signal?: AbortSignal) => preflightReplicas(model, { set, apiKey, apiKeyEnv: opts.apiKeyEnv, timeoutMs, retries, sleep, random, wallNow: () => clock.date().getTime(), warned }, signal),
    complete,
    tokenize,
    get circuitOpen() {
      return open;
    },
    get downStreak() {
      return downFailures;
    },
  };
}
