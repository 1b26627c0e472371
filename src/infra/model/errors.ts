/**
 * Errors of the model client. Messages name the replica and the cause in plain words and never
 * carry the API key: everything that could echo a header goes through redact().
 */
import { ExitCode, PromptctlError, UnavailableError, type ErrorDetails } from '../../core/errors.js';
import { starBearerTokens, starredKeyValues, starValues } from '../../core/secret-text.js';
import type { CompletionResult } from './types.js';

/** A chat completion failed for good (after retries, or at once for errors that retrying cannot fix). */
export class CompletionError extends PromptctlError {
  readonly exitCode = ExitCode.unavailable;
  readonly kind = 'CompletionFailed';
  /** Whether the failure was transient (429, 5xx, timeout, reset, bad body) and retries ran out. */
  readonly transient: boolean;
  /** HTTP status when the server answered. */
  readonly status?: number;
  readonly attempts: number;
  /** Base URL of the replica of the last attempt. */
  readonly replica?: string;
  /** A connection-level failure (refused, reset, timeout): the breaker counts these and 5xx. */
  readonly transport: boolean;

  constructor(
    details: ErrorDetails & { transient: boolean; transport?: boolean; status?: number; attempts: number; replica?: string },
  ) {
    super(details);
    this.name = 'CompletionError';
    this.transient = details.transient;
    this.transport = details.transport ?? false;
    this.status = details.status;
    this.attempts = details.attempts;
    this.replica = details.replica;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      transient: this.transient,
      transport: this.transport,
      status: this.status,
      attempts: this.attempts,
      replica: this.replica,
    };
  }
}

/** A CompletionError whose message, why and hint cannot carry the API key. */
export function redactedCompletionError(d: ConstructorParameters<typeof CompletionError>[0], apiKey: string | undefined): CompletionError {
  return new CompletionError({ ...d, ...redactDetails(d, apiKey) });
}

/** The breaker is open: the server looked down, so the run stops instead of hammering it. */
export class CircuitOpenError extends UnavailableError {
  /** `lastReason`: the last failure in plain words, already redacted. `details` replaces the wording (subclasses). */
  constructor(failures: number, baseUrls: readonly string[], lastReason?: string, details?: ErrorDetails) {
    super(
      details ?? {
        message: `Stopped sending requests: ${failures} requests in a row failed on ${baseUrls.join(', ')} (circuit breaker open)${lastReason ? `; last: ${lastReason.replace(/\.+$/, '')}` : ''}.`,
        why: 'Connections were refused, reset or timed out, or the server answered 5xx, 429 (too many requests) or an unreadable body, even after retries, so the server looks down, overloaded or misconfigured (a proxy answering for it?).',
        hint: 'Check that the vLLM server is running and reachable and that server.base_url points at it (not at a proxy page), then run again; finished results are kept.',
      },
    );
    this.name = 'CircuitOpenError';
  }
}

/**
 * The server refused the API key (401 or 403). Every other request would be refused the same way,
 * so the run stops at once, as an open breaker stops it, and the message says what to do about the
 * key (a run's stop reason is its message).
 */
export class KeyRejectedError extends CircuitOpenError {
  constructor(status: number, baseUrl: string, why: string, hint: string) {
    super(0, [baseUrl], undefined, { message: `Stopped sending requests: ${baseUrl} refused the API key (HTTP ${status}). ${why} What to do: ${hint}`, why, hint });
    this.name = 'KeyRejectedError';
  }
}

/** Remove the API key (unless a placeholder: `starredKeyValues`) and any bearer token from text that may echo request headers. */
export function redact(text: string, apiKey: string | undefined): string {
  return starBearerTokens(starValues(text, starredKeyValues(apiKey)));
}

/**
 * A completion with the API key starred wherever the server echoed it (a debug proxy that repeats
 * the Authorization header, a model asked to): an output is recorded, cached, printed and reported,
 * and the key must reach none of them. Starred here, before anything reads the answer, the text
 * scored is the text stored and cached, so a re-score of the cache gives the same verdict. The key
 * by the rule errors use too (`starredKeyValues`: not a placeholder such as "none", a word of the
 * answer too), and not every bearer token (an answer may show an example header). The result
 * itself when nothing holds it (the usual case).
 */
export function withoutApiKey(result: CompletionResult, apiKey: string | undefined): CompletionResult {
  const keys = starredKeyValues(apiKey);
  if (keys.length === 0) return result;
  const holds = (t: string | undefined) => t !== undefined && keys.some((k) => t.includes(k));
  if (!holds(result.output) && !result.toolCalls?.some((c) => holds(c.function.arguments)) && !result.choices?.some((c) => holds(c.output))) return result;
  // Inside a tool call's JSON a key stands in a string, and starred there the JSON stays valid
  // (only a key of digits alone could stand inside a number, and is starred there all the same).
  const star = (t: string) => (holds(t) ? starValues(t, keys) : t);
  return {
    ...result,
    output: star(result.output),
    ...(result.toolCalls ? { toolCalls: result.toolCalls.map((c) => ({ ...c, function: { ...c.function, arguments: star(c.function.arguments) } })) } : {}),
    ...(result.choices ? { choices: result.choices.map((c) => ({ ...c, output: star(c.output) })) } : {}),
  };
}

/** Plain words for a low-level network failure, found anywhere in the error's cause chain. */
export function describeNetworkError(e: unknown): string {
  let cur: unknown = e;
  for (let depth = 0; depth < 6 && cur; depth++) {
    const err = cur as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown };
    const code = typeof err.code === 'string' ? err.code : undefined;
    if (code === 'ECONNREFUSED') return 'connection refused (ECONNREFUSED)';
    if (code === 'ECONNRESET') return 'connection reset by the server (ECONNRESET)';
    if (code === 'UND_ERR_SOCKET') return 'the server closed the connection without an answer';
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `host not found (${code})`;
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `host unreachable (${code})`;
    if (code === 'UND_ERR_CONNECT_TIMEOUT' || err.name === 'TimeoutError') return 'timed out';
    if (code) return `${code}${typeof err.message === 'string' ? `: ${err.message}` : ''}`;
    if (!err.cause && typeof err.message === 'string' && err.message) return err.message;
    cur = err.cause;
  }
  return 'connection failed';
}

export function redactDetails(d: ErrorDetails, apiKey: string | undefined): ErrorDetails {
  return {
    ...d,
    message: redact(d.message, apiKey),
    why: d.why === undefined ? undefined : redact(d.why, apiKey),
    hint: d.hint === undefined ? undefined : redact(d.hint, apiKey),
  };
}
