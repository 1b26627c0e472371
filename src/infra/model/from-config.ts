import { runsInCi } from '../../core/ci-env.js';
import { emptySecretInCi } from '../../core/empty-secret.js';
import { InputError } from '../../core/errors.js';
import { headerValueProblem } from '../../core/header-value.js';
import type { PromptrcConfig } from '../../core/schemas/config.js';
import type { Clock } from '../clock.js';
import { createModelClient } from './client.js';
import type { ModelClient } from './types.js';

/** Why the API key server.api_key_env names cannot be sent (set but empty, or not a header value); undefined when it can, or none is named. */
export function apiKeyProblem(config: PromptrcConfig, env: Record<string, string | undefined>): InputError | undefined {
  const name = config.server.api_key_env;
  const apiKey = name ? env[name] : undefined;
  if (!name || apiKey === undefined) return undefined;
  if (apiKey.trim() === '') {
    // In a CI job, most likely a pull request from a fork, which gets its secrets empty: said as for the registry URL.
    if (runsInCi(env)) return emptySecretInCi(name, `server.api_key_env in .promptrc.yaml names ${name}, and an empty key cannot be sent to the server`, 'when the server needs no key');
    return new InputError({ message: `${name} is set but empty`, hint: `export ${name}=<your key>, or unset it when the server needs no key.` });
  }
  const problem = headerValueProblem(apiKey, name);
  if (!problem) return undefined;
  return new InputError({
    message: `the API key in ${name} cannot be sent: it ${problem.what}`,
    why: `server.api_key_env in .promptrc.yaml names ${name}; its value goes in the Authorization header, which cannot carry it as it is (no request was sent).`,
    hint: `${problem.fix}.`,
  });
}

/**
 * A model client built from .promptrc.yaml; the API key is read from the env var the config names.
 * A key that cannot be sent stops here (exit 2), unless the caller takes `keyProblem` and decides
 * when it matters (`keyProblemLater`): then the client holds no key, and the caller must not let it
 * send anything while `keyProblem` is set (eval, whose fully cached re-run sends nothing).
 */
export function clientFromConfig(
  config: PromptrcConfig,
  env: Record<string, string | undefined>,
  overrides: { timeoutMs?: number; keyProblemLater?: boolean; clock?: Clock } = {},
): { client: ModelClient; baseUrls: string[]; apiKey?: string; keyProblem?: InputError } {
  const s = config.server;
  const baseUrls = Array.isArray(s.base_url) ? s.base_url : [s.base_url];
  const keyProblem = apiKeyProblem(config, env);
  if (keyProblem && !overrides.keyProblemLater) throw keyProblem;
  const apiKey = s.api_key_env && !keyProblem ? env[s.api_key_env] : undefined;
  const client = createModelClient({
    baseUrls,
    apiKey,
    apiKeyEnv: s.api_key_env,
    timeoutMs: overrides.timeoutMs ?? s.timeout_ms,
    retries: s.retries,
    breakerThreshold: s.circuit_breaker.consecutive_failures,
    // The caller's clock: latencies are recorded, and retries paused, on the time a script injected.
    ...(overrides.clock ? { clock: overrides.clock } : {}),
  });
  return { client, baseUrls, ...(apiKey === undefined ? {} : { apiKey }), ...(keyProblem ? { keyProblem } : {}) };
}
