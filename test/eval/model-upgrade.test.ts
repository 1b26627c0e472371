import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { openRegistry } from '../../src/index.js';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, patchServerConfig, readProjectFile, relaxLatencyGate, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * The model an environment serves is part of what is deployed: the deploy event records it with
 * the request settings, get/export/the library serve exactly that, and `environments[].model`
 * changes nothing served until a gated deploy.
 */

const sim = simulatorForFile({
  models: ['sim-model', 'sim-model-next', 'sim-model-weak'],
  modelSpecs: [
    { id: 'sim-model', root: 'org/sim-7b-v1' },
    { id: 'sim-model-next', root: 'org/sim-7b-v2' },
    { id: 'sim-model-weak', root: 'org/sim-7b-v3', weakness: 0.6 },
  ],
});
const env = { PROMPTCTL_ACTOR: 'release@example.com' };

const cli = (cwd: string, ...args: string[]) => runCliInProcess(args, { cwd, env });
const json = async (cwd: string, ...args: string[]) => JSON.parse((await cli(cwd, ...args, '--json')).stdout);

function setEnvModel(cwd: string, name: string, model: string): void {
  const text = readProjectFile(cwd, '.promptrc.yaml');
  writeProjectFile(cwd, '.promptrc.yaml', text.replace(`  - name: ${name}\n`, `  - name: ${name}\n    model: ${model}\n`));
}

describe('deploying a model', () => {
  it('records the model and settings, serves exactly that, and waits for a gated deploy to change the model', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-upgrade-');
    relaxLatencyGate(cwd); // a model upgrade is judged on pass rates here, never on how fast a loaded machine answers
    expect((await cli(cwd, 'eval', 'support-answer@1.1.0')).code).toBe(0);
    const deployed = await json(cwd, 'deploy', 'support-answer@1.1.0', '--env', 'staging');
    expect(deployed.event.detail.served).toEqual({ model: 'sim-model', root: 'org/sim-7b-v1', request: { model: 'sim-model', temperature: 0, max_tokens: 200 } });

    // The next deploy's model: nothing served changes, status says what is pending.
    setEnvModel(cwd, 'staging', 'sim-model-next');
    expect((await json(cwd, 'get', 'support-answer', '--env', 'staging')).effective.model).toBe('sim-model');
    const status = await cli(cwd, 'status', '--env', 'staging');
    expect(status.stdout).toContain('pending model change: support-answer in staging serves sim-model; environments.staging.model names sim-model-next');
    expect((await json(cwd, 'status', '--env', 'staging')).rows[0].pendingModel).toEqual({ from: 'sim-model', to: 'sim-model-next', setBy: 'environments.staging.model' });

    // The gate judges the version on the new model: untested there, refused.
    const refused = await cli(cwd, 'deploy', 'support-answer@1.1.0', '--env', 'staging');
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('sim-model-next');

    expect((await cli(cwd, 'eval', 'support-answer@1.1.0', '--model', 'sim-model-next')).code).toBe(0);
    const upgraded = await cli(cwd, 'deploy', 'support-answer@1.1.0', '--env', 'staging');
    expect(upgraded.code).toBe(0);
    expect(upgraded.stdout).toMatch(/deployed support-answer@1\.1\.0 to staging on sim-model-next \(was 1\.1\.0 on sim-model; event #\d+\)/);
    expect((await json(cwd, 'get', 'support-answer', '--env', 'staging')).effective.model).toBe('sim-model-next');
    expect((await json(cwd, 'export', '--env', 'staging')).prompts['support-answer'].effective.model).toBe('sim-model-next');
    expect((await cli(cwd, 'status', '--env', 'staging')).stdout).not.toContain('pending');
    const again = await cli(cwd, 'deploy', 'support-answer@1.1.0', '--env', 'staging');
    expect(again.stdout).toContain('already active in staging');

    const registry = openRegistry({ path: path.join(cwd, '.promptctl/registry.db') });
    try {
      const active = await registry.getActive('support-answer', 'staging');
      expect(active?.served).toMatchObject({ model: 'sim-model-next', root: 'org/sim-7b-v2', request: { model: 'sim-model-next', max_tokens: 200 } });
    } finally {
      await registry.close();
    }
    expect((await cli(cwd, 'audit', 'verify')).code).toBe(0);

  });

  it('status names the setting the pending model comes from, the one a user would edit', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-upgrade-');
    relaxLatencyGate(cwd); // a model upgrade is judged on pass rates here, never on how fast a loaded machine answers
    expect((await cli(cwd, 'eval', 'support-answer@1.1.0')).code).toBe(0);
    expect((await cli(cwd, 'deploy', 'support-answer@1.1.0', '--env', 'staging')).code).toBe(0);
    const pending = async () => (await json(cwd, 'status', '--env', 'staging')).rows[0].pendingModel;
    expect(await pending()).toBeUndefined();
    const config = readProjectFile(cwd, '.promptrc.yaml');

    patchServerConfig(cwd, { model: 'sim-model-next' });
    expect(await pending()).toEqual({ from: 'sim-model', to: 'sim-model-next', setBy: 'server.model' });
    expect((await cli(cwd, 'status', '--env', 'staging')).stdout).toContain('serves sim-model; server.model names sim-model-next (served after a gated deploy');

    writeProjectFile(cwd, '.promptrc.yaml', config.replace(/^defaults:\n/m, 'defaults:\n  model: sim-model-next\n'));
    expect(await pending()).toEqual({ from: 'sim-model', to: 'sim-model-next', setBy: 'defaults.model' });

    // The environment's own model wins over both.
    setEnvModel(cwd, 'staging', 'sim-model-next');
    expect(await pending()).toEqual({ from: 'sim-model', to: 'sim-model-next', setBy: 'environments.staging.model' });
  });

  it('a model that regresses is refused (untested there) and compared with the same version on the served model', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-upgrade-');
    relaxLatencyGate(cwd); // a model upgrade is judged on pass rates here, never on how fast a loaded machine answers
    await cli(cwd, 'eval', 'support-answer@1.1.0');
    expect((await cli(cwd, 'deploy', 'support-answer@1.1.0', '--env', 'staging')).code).toBe(0);
    setEnvModel(cwd, 'staging', 'sim-model-weak');
    await cli(cwd, 'eval', 'support-answer@1.1.0', '--model', 'sim-model-weak');
    const refused = await json(cwd, 'deploy', 'support-answer@1.1.0', '--env', 'staging', '--dry-run');
    expect(refused.allowed).toBe(false);
    expect(refused.modelChange).toEqual({ from: 'sim-model', to: 'sim-model-weak' });
    // The same version on the served model is the baseline: its golden suite is compared case by case
    // (4 cases: too few to call the drop a regression outside the last environment, so inconclusive).
    expect(refused.checks.filter((c: { kind: string }) => c.kind === 'regression-pass-rate').map((c: { outcome: string }) => c.outcome)).toEqual(['pass', 'inconclusive']);
    expect(refused.checks.filter((c: { ok: boolean }) => !c.ok).map((c: { kind: string }) => c.kind)).toEqual(expect.arrayContaining(['tested']));
  });
  it('a rollback returns to the model and settings the version it lands on was deployed with', async () => {
    const cwd = makeSimProject(sim.url, {}, 'promptctl-upgrade-');
    relaxLatencyGate(cwd); // a model upgrade is judged on pass rates here, never on how fast a loaded machine answers
    await cli(cwd, 'eval', 'support-answer@1.0.0', 'support-answer@1.1.0');
    expect((await cli(cwd, 'deploy', 'support-answer@1.0.0', '--env', 'staging')).code).toBe(0);
    expect((await cli(cwd, 'deploy', 'support-answer@1.1.0', '--env', 'staging')).code).toBe(0);
    expect((await cli(cwd, 'rollback', 'support-answer', '--env', 'staging', '--reason', 'back')).code).toBe(0);
    const got = await json(cwd, 'get', 'support-answer', '--env', 'staging');
    expect(got.version).toBe('1.0.0');
    expect(got.served).toMatchObject({ model: 'sim-model', root: 'org/sim-7b-v1' });
    expect((await cli(cwd, 'audit', 'verify')).code).toBe(0);
  });
});
