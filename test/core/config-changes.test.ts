import { describe, expect, it } from 'vitest';
import { configChanges } from '../../src/core/ci/config-changes.js';
import { PromptrcConfig } from '../../src/core/schemas/config.js';

const raw = { server: { base_url: 'http://127.0.0.1:8000/v1', model: 'm' }, environments: [{ name: 'staging' }, { name: 'production' }] };
const config = (over: (r: typeof raw & Record<string, unknown>) => unknown = (r) => r) => PromptrcConfig.parse(over(structuredClone(raw)));

describe('configChanges', () => {
  it.each([
    ['nothing', config(), []],
    // Removing a line that falls back to the default changes nothing; null turns production's minimum off.
    ['a gate turned off', config((r) => ({ ...r, environments: [{ name: 'staging' }, { name: 'production', gates: { min_adversarial_pass_rate: null } }] })), [{ field: 'environments.production.gates.min_adversarial_pass_rate', from: '0.995', to: 'off' }]],
    ['a golden minimum set where none was', config((r) => ({ ...r, environments: [{ name: 'staging', gates: { min_golden_pass_rate: 0.9 } }, { name: 'production' }] })), [{ field: 'environments.staging.gates.min_golden_pass_rate', from: 'off', to: '0.9' }]],
    ['a default written out', config((r) => ({ ...r, environments: [{ name: 'staging' }, { name: 'production', gates: { max_pass_rate_drop: 0.05 } }] })), []],
    ['a looser regression limit', config((r) => ({ ...r, environments: [{ name: 'staging', gates: { max_pass_rate_drop: 0.5 } }, { name: 'production' }] })), [{ field: 'environments.staging.gates.max_pass_rate_drop', from: '0.05', to: '0.5' }]],
    ['the model and a default', config((r) => ({ ...r, server: { ...r.server, model: 'm2' }, defaults: { temperature: 0.7 } })), [{ field: 'server.model', from: 'm', to: 'm2' }, { field: 'defaults.temperature', from: 'unset', to: '0.7' }]],
    ['an environment added: named once, not field by field', config((r) => ({ ...r, environments: [{ name: 'staging' }, { name: 'canary' }, { name: 'production' }] })), [{ field: 'environments', from: 'staging, production', to: 'staging, canary, production' }]],
    // Production is no longer last: its order-dependent defaults change (the adversarial minimum and
    // on_inconclusive, a default computed after parsing), and ci's default baseline moves.
    [
      'an environment added after production',
      config((r) => ({ ...r, environments: [{ name: 'staging' }, { name: 'production' }, { name: 'canary' }] })),
      [
        { field: 'environments', from: 'staging, production', to: 'staging, production, canary' },
        { field: 'default baseline environment', from: 'production', to: 'canary' },
        { field: 'environments.production.gates.min_adversarial_pass_rate', from: '0.995', to: 'off' },
        { field: 'environments.production.gates.on_inconclusive', from: 'block', to: 'warn' },
      ],
    ],
    ['on_inconclusive written as its default', config((r) => ({ ...r, environments: [{ name: 'staging', gates: { on_inconclusive: 'warn' } }, { name: 'production', gates: { on_inconclusive: 'block' } }] })), []],
    // In the head's order: production first.
    ['the environments reordered', config((r) => ({ ...r, environments: [{ name: 'production' }, { name: 'staging' }] })), [
      { field: 'environments', from: 'staging, production', to: 'production, staging' },
      { field: 'default baseline environment', from: 'production', to: 'staging' },
      { field: 'environments.production.gates.min_adversarial_pass_rate', from: '0.995', to: 'off' },
      { field: 'environments.production.gates.on_inconclusive', from: 'block', to: 'warn' },
      { field: 'environments.staging.gates.min_adversarial_pass_rate', from: 'off', to: '0.995' },
      { field: 'environments.staging.gates.on_inconclusive', from: 'warn', to: 'block' },
    ]],
    ['the server, first, as a trust setting', config((r) => ({ ...r, server: { ...r.server, base_url: 'http://127.0.0.1:9/v1' } })), [{ field: 'server.base_url', from: 'http://127.0.0.1:8000/v1', to: 'http://127.0.0.1:9/v1' }]],
  ])('%s', (_name, head, changes) => expect(configChanges(config(), head)).toEqual(changes));
});
