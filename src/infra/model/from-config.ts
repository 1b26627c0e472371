import { InputError } from '../../core/errors.js';
import { headerValueProblem } from '../../core/header-value.js';
import type { PromptrcConfig } from '../../core/schemas/config.js';
import { createModelClient } from './client.js';
import type { ModelClient } from './types.js';

/** A model client built from .promptrc.yaml; the API key is read from the env var the config names. */
export function clientFromConfig(config: PromptrcConfig, env: Record<string, string | undefined>, overrides: { timeoutMs?: number } = {}): { client: ModelClient; baseUrls: string[]; apiKey?: string } {
  const s = config.server;
  const baseUrls = Array.isArray(s.base_url) ? s.base_url : [s.base_url];
  let apiKey: string | undefined;
  if (s.api_key_env) {
    apiKey = env[s.api_key_env];
    if (apiKey !== undefined && apiKey.trim() === '') {
      throw new InputError({ message: `${s.api_key_env} is set but empty`, hint: `export ${s.api_key_env}=<your key>, or unset it when the server needs no key.` });
    }
    const problem = apiKey === undefined ? undefined : headerValueProblem(apiKey, s.api_key_env);
    if (problem) {
      throw new InputError({
        message: `the API key in ${s.api_key_env} cannot be sent: it ${problem.what}`,
        why: `server.api_key_env in .promptrc.yaml names ${s.api_key_env}; its value goes in the Authorization header, which cannot carry it as it is (no request was sent).`,
        hint: `${problem.fix}.`,
      });
    }
  }
  const client = createModelClient({
    baseUrls,
    apiKey,
    apiKeyEnv: s.api_key_env,
    timeoutMs: overrides.timeoutMs ?? s.timeout_ms,
    retries: s.retries,
    breakerThreshold: s.circuit_breaker.consecutive_failures,
  });
  return { client, baseUrls, apiKey };
}
