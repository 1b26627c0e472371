import { describe, expect, it } from 'vitest';
import { changesBesidesModel, environmentModel, pendingModel } from '../../src/core/deployed-model.js';

/**
 * The model a version runs on in an environment, and the setting that names it, by one precedence:
 * the version's model.model, environments.<env>.model, defaults.model, server.model. `status`
 * names that setting beside a pending model change (it named environments.<env>.model always).
 */

describe('the model of a version in an environment, and the setting that names it', () => {
  it.each([
    { pin: 'pinned', envModel: 'env-m', defaultsModel: 'def-m', model: 'pinned', setting: "the version's model.model" },
    { pin: undefined, envModel: 'env-m', defaultsModel: 'def-m', model: 'env-m', setting: 'environments.staging.model' },
    { pin: undefined, envModel: undefined, defaultsModel: 'def-m', model: 'def-m', setting: 'defaults.model' },
    { pin: undefined, envModel: undefined, defaultsModel: undefined, model: 'server-m', setting: 'server.model' },
  ])('$setting', ({ pin, envModel, defaultsModel, model, setting }) => {
    // The project's model is defaults.model, else server.model (infra/environment-model.ts, by core/eval/plan.ts effectiveParams).
    const project = defaultsModel !== undefined ? { model: defaultsModel, setBy: 'defaults.model' } : { model: 'server-m', setBy: 'server.model' };
    expect(environmentModel(pin, envModel, project, 'staging')).toEqual({ model, setBy: setting });
  });

  it.each([
    { served: 'a', configured: 'a', pending: undefined },
    { served: 'a', configured: 'b', pending: { from: 'a', to: 'b', setBy: 'server.model' } },
  ])('pending when $served is served and $configured configured', ({ served, configured, pending }) => {
    expect(pendingModel(served, { model: configured, setBy: 'server.model' })).toEqual(pending);
  });
});

describe('the request settings that change besides the model', () => {
  const from = { model: 'a', temperature: 0, max_tokens: 256 };
  it.each<[string, Record<string, unknown>, Array<{ setting: string; from?: unknown; to?: unknown }>]>([
    ['the model alone: none', { model: 'b' }, []],
    ['temperature', { temperature: 0.7 }, [{ setting: 'temperature', from: 0, to: 0.7 }]],
    ['max_tokens beside the model', { model: 'b', max_tokens: 64 }, [{ setting: 'max_tokens', from: 256, to: 64 }]],
    ['a setting added', { stop: ['XYZ'] }, [{ setting: 'stop', to: ['XYZ'] }]],
  ])('%s', (_, change, expected) => {
    expect(changesBesidesModel(from, { ...from, ...change } as typeof from)).toEqual(expected);
  });
});
