/**
 * The preflight of a model client's replica set: every replica checked at once (preflight.ts), the
 * checks that met a busy replica (429 or 5xx) asked again as a request is retried while no replica
 * passed, and each replica that failed left out as its failure says: for its wait or cool-down
 * (probed again during the run) or for good (does not serve the model, refuses the key).
 */
import { UnavailableError, type ErrorDetails } from '../../core/errors.js';
import { namesWeights, weightsOf, type ServedAs } from '../../core/served-weights.js';
import { abortReason, sleepUnlessAborted } from './abort.js';
import { redactDetails } from './errors.js';
import { checkReplica, ModelNotServedError, ReplicaBusyError, ReplicaDownError } from './preflight.js';
import type { Replica, ReplicaSet } from './replicas.js';
import { delayBeforeRetry } from './retry-policy.js';
import type { RetryPolicy } from './types.js';

export interface PreflightContext {
  set: ReplicaSet;
  apiKey: string | undefined;
  apiKeyEnv: string | undefined;
  timeoutMs: number;
  retries: RetryPolicy;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  wallNow: () => number;
  /** Replicas already named in a preflight warning (preflight runs once per model). */
  warned: Set<string>;
}

export interface PreflightResult extends ServedAs {
  models: string[];
  warnings?: string[];
}

/** The wait before asking a busy replica again: its Retry-After, else the backoff of attempt `n`, as for a request. */
function waitFor(e: ReplicaBusyError, n: number, c: PreflightContext): number {
  return delayBeforeRetry({ transient: true, transport: false, status: e.status, reason: e.message, retryAfterMs: e.retryAfterMs }, n, c.retries, c.random);
}

export async function preflightReplicas(model: string, c: PreflightContext, signal?: AbortSignal): Promise<PreflightResult> {
  const { set, apiKey } = c;
  const check = (r: Replica) => checkReplica(model, { baseUrl: r.baseUrl, apiKey, apiKeyEnv: c.apiKeyEnv, timeoutMs: c.timeoutMs, signal, wallNow: c.wallNow });
  const checks = await Promise.allSettled(set.replicas.map(check));
  // While no replica passed, the busy ones are asked again, as a request is retried (max_attempts
  // in all, after the Retry-After or the backoff); one replica that passed is enough to start.
  for (let n = 1; ; n++) {
    if (signal?.aborted) throw abortReason(signal);
    const busy = checks.flatMap((x, i) => (x.status === 'rejected' && x.reason instanceof ReplicaBusyError ? [{ i, e: x.reason }] : []));
    if (busy.length === 0 || n >= c.retries.max_attempts || checks.some((x) => x.status === 'fulfilled')) break;
    await sleepUnlessAborted(c.sleep, Math.min(...busy.map(({ e }) => waitFor(e, n, c))), signal);
    const again = await Promise.allSettled(busy.map(({ i }) => check(set.replicas[i]!)));
    busy.forEach(({ i }, k) => (checks[i] = again[k]!));
  }
  // Stopped by the caller: no replica is judged (or ejected) on a check the caller cut short.
  if (signal?.aborted) throw abortReason(signal);
  const models = new Set<string>();
  const answered: { baseUrl: string; as: ServedAs }[] = [];
  const failures: { r: Replica; e: UnavailableError }[] = [];
  checks.forEach((x, i) => {
    const r = set.replicas[i]!;
    if (x.status === 'fulfilled') {
      const { served, ...as } = x.value;
      answered.push({ baseUrl: r.baseUrl, as });
      return served.forEach((m) => models.add(m));
    }
    if (!(x.reason instanceof UnavailableError)) throw x.reason;
    failures.push({ r, e: x.reason });
  });
  if (failures.length === set.replicas.length) throw noReplicaLeft(failures.map((x) => x.e));
  // Replicas must serve one deployment: a run over two sets of weights (a rolling upgrade half
  // done) would record one root for answers of both, and cache each as the other's.
  const mixed = mixedWeights(model, answered);
  if (mixed) throw new UnavailableError(redactDetails(mixed, apiKey));
  const as = answered[0]!.as;
  // One replica down is not the server down: run on the others. A replica that is down or
  // throttled gets probed again during the run (a throttled one once its wait is over); one that
  // does not serve the model or refuses the key never will.
  const warnings: string[] = [];
  for (const { r, e } of failures) {
    const throttled = e instanceof ReplicaBusyError && e.status === 429;
    if (throttled) set.throttle(r, waitFor(e, 1, c));
    else if (e instanceof ReplicaDownError) set.eject(r);
    else set.retire(r);
    if (c.warned.has(r.baseUrl)) continue;
    c.warned.add(r.baseUrl);
    warnings.push(throttled ? `replica ${r.baseUrl} gets no requests until its wait is over, then is tried again: ${e.message}` : `replica ${r.baseUrl} is excluded from this run: ${e.message}`);
  }
  return { models: [...models], ...as, ...(warnings.length ? { warnings } : {}) };
}

/** A replica's URL as shown in messages: without a user name or password it may carry. */
function shownUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    if (!url.username && !url.password) return baseUrl;
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return baseUrl;
  }
}

/**
 * The replicas that passed preflight say `model` is different weights (core/served-weights.ts): what
 * to stop with, naming each replica and its root, else undefined.
 */
export function mixedWeights(model: string, replicas: ReadonlyArray<{ baseUrl: string; as: ServedAs }>): ErrorDetails | undefined {
  if (new Set(replicas.map((r) => weightsOf(model, r.as))).size < 2) return undefined;
  const shown = replicas.map((r) => `${shownUrl(r.baseUrl)} serves ${namesWeights(r.as) ? `root ${weightsOf(model, r.as)}` : 'no root'}`);
  return {
    message: `The replicas in server.base_url serve different weights under "${model}": ${shown.join('; ')}.`,
    why: 'A run spread over them would mix the answers of different models and record them as one: its verdict, its tested mark and its cached answers would name weights that gave only part of them.',
    hint: 'Finish the rollout so that every replica serves the same weights, or list in server.base_url only the replicas that serve the weights to evaluate.',
  };
}

/** Every replica failed preflight: one replica's own error, or all of them in one. */
export function noReplicaLeft(errors: UnavailableError[]): UnavailableError {
  if (errors.length === 1) return errors[0]!;
  const details = {
    message: `None of the ${errors.length} vLLM replicas is usable: ${errors.map((e) => e.message).join(' ')}`,
    why: errors[0]!.why,
    hint: errors[0]!.hint,
  };
  // Every replica answered without the model: still "not served", with what any of them lists.
  if (errors.every((e) => e instanceof ModelNotServedError)) return new ModelNotServedError(details, [...new Set(errors.flatMap((e) => e.served))]);
  return new UnavailableError(details);
}

