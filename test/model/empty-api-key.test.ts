import { describe, expect, it } from 'vitest';
import { PromptrcConfig } from '../../src/core/schemas/config.js';
import { apiKeyProblem } from '../../src/infra/model/from-config.js';

/**
 * An API key set but empty: in a CI job most likely a pull request from a fork, which GitHub gives
 * its secrets as empty strings; said with the same rule as an empty PROMPTCTL_REGISTRY_URL there
 * (core/empty-secret.ts), where outside CI it was and is "export it, or unset it".
 */
const config = PromptrcConfig.parse({ server: { base_url: 'http://127.0.0.1:8000/v1', model: 'm', api_key_env: 'VLLM_API_KEY' }, environments: [{ name: 'production' }] });

describe('an API key that is set but empty', () => {
  it.each<[string, Record<string, string>, { message: string; why?: RegExp; hint: string }]>([
    ['outside CI', { VLLM_API_KEY: '' }, { message: 'VLLM_API_KEY is set but empty', hint: 'export VLLM_API_KEY=<your key>, or unset it when the server needs no key.' }],
    ['CI=false', { VLLM_API_KEY: ' ', CI: 'false' }, { message: 'VLLM_API_KEY is set but empty', hint: 'export VLLM_API_KEY=<your key>, or unset it when the server needs no key.' }],
    ['a GitHub job (a fork pull request)', { VLLM_API_KEY: '', CI: 'true', GITHUB_ACTIONS: 'true' }, {
      message: 'VLLM_API_KEY is set but empty in this CI job',
      why: /names VLLM_API_KEY, and an empty key cannot be sent to the server \(GitHub passes empty secrets to pull requests from forks\)$/,
      hint: "give the job the secret, or remove VLLM_API_KEY from the job's environment when the server needs no key",
    }],
    ['Jenkins (no CI variable)', { VLLM_API_KEY: '', JENKINS_URL: 'http://jenkins/' }, {
      message: 'VLLM_API_KEY is set but empty in this CI job',
      why: /pull requests from forks/,
      hint: "give the job the secret, or remove VLLM_API_KEY from the job's environment when the server needs no key",
    }],
  ])('%s', (_, env, expected) => {
    const e = apiKeyProblem(config, env);
    expect(e?.exitCode).toBe(2);
    expect(e?.message).toBe(expected.message);
    expect(e?.hint).toBe(expected.hint);
    if (expected.why) expect(e?.why).toMatch(expected.why);
  });

  it('a key that is set is no problem, in CI or not', () => {
    expect(apiKeyProblem(config, { VLLM_API_KEY: 'sk-1', CI: 'true' })).toBeUndefined();
    expect(apiKeyProblem(config, { CI: 'true' })).toBeUndefined();
  });
});
