/**
 * A server that redirects (an ingress sending http to https, a moved host, a sign-in proxy sending
 * API calls to its login page). promptctl follows no redirect, at preflight or on a request: the one
 * wording of what happened and what to configure, naming where it redirects.
 */
import type { ErrorDetails } from '../../core/errors.js';
import { CircuitOpenError, redactDetails } from './errors.js';

/** Whether an HTTP status is a redirect. */
export const isRedirect = (status: number | undefined): boolean => status !== undefined && status >= 300 && status < 400;

/**
 * What a redirect means for `baseUrl`: `answered` is what was asked and the status (`/health
 * answered 308`), `location` the Location header, resolved against `asked` (it may be relative).
 */
export function redirectDetails(baseUrl: string, answered: string, location: string | null | undefined, asked: string): ErrorDetails {
  const to = redirectTarget(location, asked);
  return {
    message: `The server at ${baseUrl} redirects (${answered}${to ? `, to ${to.href}` : ''}).`,
    why: 'promptctl follows no redirect: a request sent to another address than the one configured could carry its API key elsewhere, and every chat request would be redirected alike.',
    // The same path under the origin it redirects to (a base path such as /gw/v1 kept).
    hint: to
      ? `set server.base_url in .promptrc.yaml to the address it redirects to (${to.origin}${new URL(baseUrl.replace(/\/+$/, '')).pathname}, if that is the same server), or to one that reaches the server without a redirect (not through a sign-in page).`
      : 'set server.base_url in .promptrc.yaml to the address the server answers on.',
  };
}

/**
 * A chat request was redirected. Every other request would be redirected the same way, so the run
 * stops at once (exit 3), as a refused key stops it; the stop reason is the message, so it says
 * where the server redirects and what to do.
 */
export class RedirectedError extends CircuitOpenError {
  constructor(d: ErrorDetails) {
    super(0, [], undefined, { message: `Stopped sending requests: ${d.message.replace(/^The server/, 'the server')} ${d.why} What to do: ${d.hint}`, why: d.why, hint: d.hint });
    this.name = 'RedirectedError';
  }
}

/** The error that stops a run whose chat request to `baseUrl` was redirected (`status`, `location`), without the API key. */
export function redirectedRequest(baseUrl: string, status: number, location: string | undefined, apiKey: string | undefined): RedirectedError {
  const asked = `${baseUrl.replace(/\/+$/, '')}/chat/completions`;
  return new RedirectedError(redactDetails(redirectDetails(baseUrl, `POST /chat/completions answered ${status}`, location, asked), apiKey));
}

/** A redirect's Location resolved against the URL asked (it may be relative); undefined when there is none or it is no URL. */
function redirectTarget(location: string | null | undefined, asked: string): URL | undefined {
  if (!location) return undefined;
  try {
    return new URL(location, asked);
  } catch {
    return undefined;
  }
}
