/**
 * A fetch for the openai SDK that makes vLLM's error bodies readable. The SDK takes an error's
 * message from `body.error`, but vLLM (before its OpenAI-style nesting) answers
 * `{"object":"error","message":...}` at the top level, and its API-key check answers
 * `{"error":"Unauthorized"}`; either way the SDK would say only "500 status code (no body)".
 * Successful responses pass through untouched, so the hot path pays nothing.
 */
import { httpFetch } from './http-fetch.js';

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
  let error: unknown = body;
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const inner = (body as { error: unknown }).error;
    error = typeof inner === 'string' ? { message: inner } : inner;
  }
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  headers.set('content-type', 'application/json');
  return new Response(JSON.stringify({ error }), { status: res.status, statusText: res.statusText, headers });
}
