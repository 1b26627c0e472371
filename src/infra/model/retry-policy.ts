/**
 * Which failures are worth retrying and how long to wait. Transient: 429, 5xx, timeouts, refused or
 * reset connections, and truncated, invalid or too large bodies. Every other 4xx, and a 3xx, is
 * final: sending the same request again cannot fix it. Also which failures say the server cannot serve: one that says
 * a replica is down ejects it for a while, and such failures in a row open the circuit breaker.
 */
// The error classes only (the same ones the SDK throws): the SDK itself loads on the first request.
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai/error';
import { describeNetworkError } from './errors.js';
import { AnswerTooLargeError } from './http-fetch.js';
import { serverText } from './server-text.js';
import type { RetryPolicy } from './types.js';

/** Honour a server's Retry-After up to this long even when max_delay_ms is shorter. */
const RETRY_AFTER_HONOURED_MS = 60_000;

export interface Failure {
  transient: boolean;
  /** Connection-level (refused, reset, timeout): counted by the circuit breaker, like 5xx. */
  transport: boolean;
  status?: number;
  /** What went wrong, in plain words (may echo the server; redact before showing). */
  reason: string;
  retryAfterMs?: number;
  /** A redirect's (3xx) Location header, as sent. */
  location?: string;
}

/** A failure that says the server (or this replica) is down, not that the request was wrong. */
export const serverDown = (f: Failure): boolean => f.transport || (f.status !== undefined && f.status >= 500);

/**
 * A request that failed for good in a way that says the server cannot serve now: down, or still
 * answering 429 or an unreadable body after every retry. Such failures in a row open the breaker;
 * a request the server rejected for itself (400, 404) does not.
 */
export const serverUnusable = (f: Failure): boolean => serverDown(f) || f.transient;

/** Thrown by the client itself when a 200 body is not a chat completion. */
export class InvalidResponseError extends Error {}

/**
 * `wallNow`: the wall-clock time in ms (the client's clock), for a Retry-After given as an HTTP date.
 * The reason well-formed (`serverText`): it may quote an error body, and becomes a sample's error.
 */
export function classify(e: unknown, timeoutMs: number, wallNow: () => number): Failure {
  const f = failureOf(e, timeoutMs, wallNow);
  return { ...f, reason: serverText(f.reason) };
}

function failureOf(e: unknown, timeoutMs: number, wallNow: () => number): Failure {
  if (e instanceof APIConnectionTimeoutError) {
    return { transient: true, transport: true, reason: `no answer within ${timeoutMs} ms (timeout)` };
  }
  // An answer past the byte limit is cut off by http-fetch (the SDK reports it as a failed
  // connection): a bad body, as an invalid one is, not a server that is down.
  if (e instanceof APIConnectionError && e.cause instanceof AnswerTooLargeError) {
    return { transient: true, transport: false, reason: e.cause.message };
  }
  if (e instanceof APIConnectionError) {
    return { transient: true, transport: true, reason: describeNetworkError(e.cause ?? e) };
  }
  if (e instanceof APIError && typeof e.status === 'number') {
    const status = e.status;
    const reason = e.message;
    if (status === 429) return { transient: true, transport: false, status, reason, retryAfterMs: retryAfterMs(e.headers, wallNow) };
    if (status >= 500) return { transient: true, transport: false, status, reason };
    // A redirect is final too, and stops the run (client.ts): every request would be redirected alike.
    if (status >= 300 && status < 400) return { transient: false, transport: false, status, reason, location: e.headers?.get('location') ?? undefined };
    return { transient: false, transport: false, status, reason };
  }
  if (e instanceof SyntaxError || e instanceof InvalidResponseError) {
    return { transient: true, transport: false, reason: `the server sent an invalid or truncated response (${e.message})` };
  }
  if (e instanceof TypeError) {
    // undici reports a body cut off by a dropped connection as TypeError("terminated").
    return { transient: true, transport: true, reason: describeNetworkError(e) };
  }
  return { transient: false, transport: false, reason: e instanceof Error ? e.message : String(e) };
}

/** Retry-After as milliseconds: `retry-after-ms`, `retry-after` seconds, or an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, wallNow: () => number): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = headers.get('retry-after');
  if (ra === null || ra.trim() === '') return undefined;
  const seconds = Number(ra);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - wallNow());
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base * 2^(attempt-1))]. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.max_delay_ms, policy.base_delay_ms * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** The wait before the next attempt: the server's Retry-After when it gave one, else backoff. */
export function delayBeforeRetry(f: Failure, attempt: number, policy: RetryPolicy, random: () => number): number {
  if (f.retryAfterMs !== undefined) {
    return Math.min(f.retryAfterMs, Math.max(policy.max_delay_ms, RETRY_AFTER_HONOURED_MS));
  }
  return backoffMs(attempt, policy, random);
}
