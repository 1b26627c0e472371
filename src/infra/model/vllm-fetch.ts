/**
 * A fetch for the openai SDK that makes vLLM's error bodies readable. The SDK takes an error's
 * message from `body.error`, but vLLM before its OpenAI-style nesting (`{"error":{"message":...}}`,
 * in recent versions) answers `{"object":"error","message":...}` at the top level, and its API-key check
 * answers `{"error":"Unauthorized"}`; either way the SDK would say only "500 status code (no body)".
 * Successful responses pass through untouched, so the hot path pays nothing.
 */
import { httpFetch } from './http-fetch.js';
import { serverText } from './server-text.js';

export async function vllmErrorFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const res = await httpFetch(input, init);
  if (res.ok) return res;
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
  }
  const error = serverErrorOf(body);
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify({ error }), { status: res.status, statusText: res.statusText, headers });
}

/**
 * The error object in a server's error body, whichever form its vLLM version sends: nested
 * (`{"error":{...}}`), flat (`{"object":"error","message":...}`) or a bare string under `error`.
 */
function serverErrorOf(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('error' in body)) return body;
  const inner = (body as { error: unknown }).error;
  return typeof inner === 'string' ? { message: inner } : inner;
}

/** The message of a server's error body in any of its forms, if it has one. */
export function serverErrorMessage(body: unknown): string | undefined {
  const error = serverErrorOf(body);
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' && message ? serverText(message) : undefined;
}
