/**
 * Checks before a run: GET <origin>/health, then GET <base>/models, on the keep-alive node:http
 * fetch the requests use (http-fetch.ts). Global fetch would load undici's HTTP parser (a
 * WebAssembly module compiled on first use) on the way to the first request, and the socket it
 * opened would not carry that request. Failures become UnavailableError (exit 3) that say which
 * URL, what went wrong and what to do; ReplicaDownError when the replica is unreachable or
 * unhealthy (it may come back during a run); ReplicaBusyError when it answered 429 or 5xx, which
 * the client asks again as it retries a request (client.ts).
 */
import { UnavailableError, type ErrorDetails } from '../../core/errors.js';
import { servedAsIn, type ModelCard, type ServedAs } from '../../core/served-weights.js';
import { abortReason, deadlineSignal } from './abort.js';
import { describeNetworkError, redactDetails } from './errors.js';
import { AnswerTooLargeError, httpFetch } from './http-fetch.js';
import { isRedirect, redirectDetails } from './redirect.js';
import { retryAfterMs } from './retry-policy.js';

/** Preflight must fail fast when nothing listens: a few seconds, never the full request timeout. */
const PREFLIGHT_TIMEOUT_CAP_MS = 5_000;

/** `http://host:8000/v1` -> `http://host:8000` (vLLM serves /health and /tokenize at the root). */
export function originOf(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** The replica is unreachable or unhealthy, as opposed to reachable but unfit for this run. */
export class ReplicaDownError extends UnavailableError {
  constructor(details: ErrorDetails) {
    super(details);
    this.name = 'ReplicaDownError';
  }
}

/**
 * The replica answered 429 (rate limited) or 5xx: it cannot serve now but may in a moment, so the
 * check is retried under server.retries, as a request is, honouring a 429's Retry-After; left out
 * of a run other replicas serve only for its wait (a 429) or cool-down, then probed, never retired.
 */
export class ReplicaBusyError extends ReplicaDownError {
  constructor(details: ErrorDetails, readonly status: number, readonly retryAfterMs?: number) {
    super(details);
    this.name = 'ReplicaBusyError';
  }
}

/** The replica answered and is fit, but does not list the model: `served` is what it lists. */
export class ModelNotServedError extends UnavailableError {
  constructor(details: ErrorDetails, readonly served: readonly string[]) {
    super(details);
    this.name = 'ModelNotServedError';
  }
}

/** Why a server refused us (401/403), naming the variable but never its value. */
export function keyWhy(apiKeyEnv: string | undefined, apiKey: string | undefined): string {
  if (apiKey) return apiKeyEnv ? `The API key in ${apiKeyEnv} was not accepted.` : 'The API key was not accepted.';
  if (apiKeyEnv) return `The server requires an API key and none was sent: server.api_key_env names ${apiKeyEnv}, but that variable is not set.`;
  return 'The server requires an API key and none was sent.';
}

/** What to do about a 401/403: export the variable the config names, or name one in the config. */
export function keyHint(apiKeyEnv: string | undefined, apiKey: string | undefined): string {
  if (apiKeyEnv && !apiKey) return `export ${apiKeyEnv}=<your key> in the environment that runs promptctl (in CI, from a secret).`;
  if (apiKeyEnv) return `export ${apiKeyEnv}=<a key the server accepts> (the variable server.api_key_env names in .promptrc.yaml).`;
  return 'Set server.api_key_env in .promptrc.yaml to the name of an environment variable that holds a valid key.';
}

export function authHeaders(apiKey: string | undefined): Record<string, string> {
  return apiKey ? { authorization: `Bearer ${apiKey}` } : {};
}

interface ReplicaCheck {
  baseUrl: string;
  apiKey: string | undefined;
  /** The variable the key comes from, for hints (never its value). */
  apiKeyEnv?: string;
  timeoutMs: number;
  /** The caller's stop (Ctrl-C, a script's abort): the check ends at once and throws its reason, not "server unreachable". */
  signal?: AbortSignal;
  /** The wall-clock time in ms (the client's clock), for a Retry-After given as an HTTP date. */
  wallNow?: () => number;
}

export type { ServedAs };

/**
 * How to start what base_url points at. The simulator is offered only on this machine, with the
 * port the config names: `npx promptctl-sim` alone would listen where the config does not look.
 */
export function startHint(baseUrl: string): string {
  let local: { port: string } | undefined;
  try {
    const u = new URL(baseUrl);
    if (['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)) local = { port: u.port || (u.protocol === 'https:' ? '443' : '80') };
  } catch {
    // an address that does not parse is refused by the config's schema before any request
  }
  const sim = local ? `; the offline simulator: \`npx promptctl-sim --port ${local.port}\`` : '';
  // Not "fix server.base_url" alone: ci refuses that change beside what it evaluates (ci/trust-settings).
  return `Start the server (vLLM: \`vllm serve <model>\`${sim}) or fix server.base_url in .promptrc.yaml (for \`promptctl ci\`, in a pull request of its own: ci evaluates only with the server its base branch configures).`;
}

/**
 * The models one replica serves, after checking that it is up and accepts our key, and what it says
 * `model` is. Aborted by `c.signal`, it throws the abort's reason (abort.ts), like an aborted request.
 */
export async function checkReplica(model: string, c: ReplicaCheck): Promise<{ served: string[] } & ServedAs> {
  const fail = (d: ErrorDetails): never => {
    throw new UnavailableError(redactDetails(d, c.apiKey));
  };
  const down = (d: ErrorDetails): never => {
    throw new ReplicaDownError(redactDetails(d, c.apiKey));
  };
  const busy = (res: Response, d: ErrorDetails): never => {
    throw new ReplicaBusyError(redactDetails(d, c.apiKey), res.status, res.status === 429 ? retryAfterMs(res.headers, c.wallNow ?? Date.now) : undefined);
  };
  const throttled = (path: string) => ({
    message: `The vLLM server at ${c.baseUrl} is rate limiting: ${path} answered 429 (too many requests).`,
    why: 'The server, or a proxy in front of it, turns requests away for now; the check was retried as server.retries sets, after any wait the server asked for (Retry-After).',
    hint: 'Run again once the rate limit allows, or ask for a higher limit; raise server.retries in .promptrc.yaml to wait longer, or lower server.concurrency.',
  });
  const base = c.baseUrl.replace(/\/+$/, '');
  const timeout = Math.min(c.timeoutMs, PREFLIGHT_TIMEOUT_CAP_MS);
  const get = async (url: string): Promise<Response> => {
    const deadline = deadlineSignal(timeout, c.signal);
    try {
      return await httpFetch(url, { headers: authHeaders(c.apiKey), signal: deadline.signal });
    } catch (e) {
      if (c.signal?.aborted) throw abortReason(c.signal);
      // Too large an answer is a bad one, as an invalid model list is: the server did answer.
      if (e instanceof AnswerTooLargeError) {
        return fail({ message: `The server at ${c.baseUrl} sent too large an answer to GET ${url}: ${e.message}.`, hint: 'Check that server.base_url points at an OpenAI-compatible API ending in /v1.' });
      }
      const cause = describeNetworkError(e);
      return down({
        message: `Cannot reach the vLLM server at ${c.baseUrl}: ${cause === 'timed out' ? `no answer within ${timeout} ms` : cause}.`,
        why: `GET ${url} failed before any HTTP answer.`,
        hint: startHint(c.baseUrl),
      });
    } finally {
      deadline.unlink();
    }
  };

  const health = await get(`${originOf(base)}/health`);
  await health.body?.cancel();
  // A redirect (an ingress sending http to https, a moved host) is followed by no request promptctl
  // sends: each would fail alike. Said as the address to fix, not as a server still loading.
  if (isRedirect(health.status)) fail(redirectDetails(c.baseUrl, `/health answered ${health.status}`, health.headers.get('location'), `${originOf(base)}/health`));
  if (health.status === 429) busy(health, throttled('/health'));
  // A key-checking proxy may hide /health (401/403/404); /v1/models below is the real test then.
  if (!health.ok && ![401, 403, 404].includes(health.status)) {
    const unhealthy = {
      message: `The vLLM server at ${c.baseUrl} is not healthy: /health answered ${health.status}.`,
      why: 'vLLM answers /health with 200 once the model is loaded; other answers mean it is starting, overloaded or broken.',
      hint: 'Wait for the server to finish loading the model, or check its logs.',
    };
    if (health.status >= 500) busy(health, unhealthy);
    down(unhealthy);
  }

  const res = await get(`${base}/models`);
  if (res.status === 401 || res.status === 403) {
    await res.body?.cancel();
    fail({
      message: `The vLLM server at ${c.baseUrl} refused the request: ${res.status} ${res.status === 401 ? 'Unauthorized' : 'Forbidden'}.`,
      why: keyWhy(c.apiKeyEnv, c.apiKey),
      hint: keyHint(c.apiKeyEnv, c.apiKey),
    });
  }
  if (isRedirect(res.status)) {
    await res.body?.cancel();
    fail(redirectDetails(c.baseUrl, `GET /models answered ${res.status}`, res.headers.get('location'), `${base}/models`));
  }
  if (res.status === 429) {
    await res.body?.cancel();
    busy(res, throttled('GET /models'));
  }
  if (res.status >= 500) {
    await res.body?.cancel();
    // A key-checking proxy in front of a dead vLLM answers 502/503 here.
    busy(res, {
      message: `The vLLM server at ${c.baseUrl} answered ${res.status} to GET /models.`,
      why: 'A 5xx answer means the server, or a proxy in front of it, cannot serve right now.',
      hint: 'Check that vLLM is running behind server.base_url, or its logs.',
    });
  }
  if (!res.ok) {
    await res.body?.cancel();
    fail({
      message: `The vLLM server at ${c.baseUrl} answered ${res.status} to GET /models.`,
      hint: 'Check that server.base_url points at an OpenAI-compatible API ending in /v1.',
    });
  }
  let served: string[];
  let cards: ModelCard[];
  try {
    const body = (await res.json()) as { data?: ModelCard[] };
    cards = body.data ?? [];
    served = cards.map((m) => m.id).filter((id): id is string => typeof id === 'string');
  } catch {
    return fail({
      message: `The server at ${c.baseUrl} sent an invalid model list.`,
      hint: 'Check that server.base_url points at an OpenAI-compatible API ending in /v1.',
    });
  }
  if (!served.includes(model)) {
    throw new ModelNotServedError(redactDetails({
      message: `Model "${model}" is not served by ${c.baseUrl}.`,
      why: served.length ? `The server serves: ${served.join(', ')}.` : 'The server lists no models.',
      hint: served.length
        ? `Name one of: ${served.join(', ')} wherever "${model}" is set (server.model, server.models, server.judge_model, defaults.model or environments[].model in .promptrc.yaml, a version's model.model, or --model or id@version:model on the command line) — the name vLLM was started with via --served-model-name.`
        : 'Check the server: vLLM lists the model it serves under --served-model-name.',
    }, c.apiKey), served);
  }
  return { served, ...servedAsIn(cards, model) };
}
