import { describe, expect, it } from 'vitest';
import { trustChanges, unreadableBaseTrust, withoutTrustSettings } from '../../src/core/ci/trust-settings.js';
import { PromptrcConfig } from '../../src/core/schemas/config.js';

const base = { server: { base_url: 'http://127.0.0.1:8000/v1', model: 'm', api_key_env: 'VLLM_API_KEY' }, environments: [{ name: 'staging' }, { name: 'production' }] };
const config = (over: Record<string, unknown> = {}, server: Record<string, unknown> = {}) => PromptrcConfig.parse({ ...base, ...over, server: { ...base.server, ...server } });

describe('trustChanges', () => {
  it.each([
    ['nothing', config(), []],
    ['the model and gates are the pull request\'s', config({ defaults: { temperature: 0.7 }, environments: [{ name: 'production', gates: { max_pass_rate_drop: 0.5 } }] }, { model: 'other' }), []],
    ['a replica added', config({}, { base_url: ['http://127.0.0.1:8000/v1', 'http://127.0.0.1:8001/v1'] }), [{ field: 'server.base_url', from: 'http://127.0.0.1:8000/v1', to: 'http://127.0.0.1:8000/v1, http://127.0.0.1:8001/v1' }]],
    // Nothing sent changes: the replicas are a set, a trailing slash is no other server.
    ['a trailing slash', config({}, { base_url: 'http://127.0.0.1:8000/v1/' }), []],
    ['the key variable', config({}, { api_key_env: 'GITHUB_TOKEN' }), [{ field: 'server.api_key_env', from: 'VLLM_API_KEY', to: 'GITHUB_TOKEN' }]],
    ['the key variable removed', config({}, { api_key_env: undefined }), [{ field: 'server.api_key_env', from: 'VLLM_API_KEY', to: 'unset' }]],
    ['the registry file and password variable', config({ registry: { path: 'x.db', password_env: 'PGPW' } }), [{ field: 'registry.path', from: '.promptctl/registry.db', to: 'x.db' }, { field: 'registry.password_env', from: 'unset', to: 'PGPW' }]],
    ['a pinned key', config({ signing: { evaluator: [`ed25519:${'A'.repeat(43)}`] } }), [{ field: 'signing', from: 'as on the base branch', to: 'changed' }]],
  ])('%s', (_name, head, changes) => expect(trustChanges(config(), head)).toEqual(changes));
});

describe('trustChanges of replica lists', () => {
  it('the same replicas in another order are no change', () => {
    const [a, b] = ['http://127.0.0.1:8000/v1', 'http://127.0.0.1:8001/v1/'];
    expect(trustChanges(config({}, { base_url: [a, b] }), config({}, { base_url: [b.replace(/\/$/, ''), a] }))).toEqual([]);
  });
});

describe('trustChanges with PROMPTCTL_REGISTRY_URL set', () => {
  it('registry.path and registry.url say nothing then; the schema and password variable still count', () => {
    const head = config({ registry: { path: 'other.db', url: 'postgres://x@elsewhere/db', schema: 'empty' } });
    expect(trustChanges(config(), head, { registryFromEnv: true })).toEqual([{ field: 'registry.schema', from: 'promptctl', to: 'empty' }]);
    expect(trustChanges(config(), head).map((c) => c.field)).toEqual(['registry.path', 'registry.schema', 'registry.url']);
  });
});

describe('unreadableBaseTrust', () => {
  it('names every trust setting as changed', () => expect(unreadableBaseTrust().map((c) => c.field)).toEqual(['server.base_url', 'server.api_key_env', 'registry', 'signing']));
});

describe('withoutTrustSettings', () => {
  it('drops server.base_url, server.api_key_env, registry and signing, keeps the rest as written', () => {
    const raw = { server: { base_url: 'u', api_key_env: 'K', model: 'm' }, registry: { path: 'p' }, signing: {}, defaults: { temperature: 0 } };
    expect(withoutTrustSettings(raw)).toEqual({ server: { model: 'm' }, defaults: { temperature: 0 } });
  });
  it.each([[null], ['text'], [[1, 2]], [{ server: 'not a mapping', registry: {} }]])('%j stays what it is, trust keys aside', (raw) => {
    expect(withoutTrustSettings(raw)).toEqual(typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { server: 'not a mapping' } : raw);
  });
});
