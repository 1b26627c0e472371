import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/infra/project.js';
import { openProjectRegistry } from '../../src/infra/project-registry.js';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { postgresAvailable, postgresAndSimulatorForFile } from '../support/postgres.js';
import { makeSimProject, readProjectFile, relaxLatencyGate, writeProjectFile } from '../support/project.js';
import { systemClock } from '../../src/infra/clock.js';

/**
 * What a deploy serves (its model and request settings, in the event's detail and so in its hash)
 * on a PostgreSQL registry: recorded, served by get and export, the chain verifying, and an event
 * from before (no served settings) still read as the configuration says.
 */

const pgOk = postgresAvailable();
const live = postgresAndSimulatorForFile({ models: ['sim-model', 'sim-model-next'], modelSpecs: [{ id: 'sim-model-next', root: 'org/sim-7b-v2' }] });

async function ok(dir: string, env: Record<string, string>, ...args: string[]): Promise<RunResult> {
  const r = await runCliInProcess(args, { cwd: dir, env: { PROMPTCTL_ACTOR: 'release@example.com', ...env } });
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(0);
  return r;
}

describe.runIf(pgOk)('deploying a model on PostgreSQL', () => {
  it('records the served model, serves it, verifies the chain, and reads an older event as before', async () => {
    const dir = makeSimProject(live.sim.url);
    relaxLatencyGate(dir);
    const env = { PROMPTCTL_REGISTRY_URL: live.cluster.url(await live.cluster.createDatabase(), { withPassword: true }) };
    await ok(dir, env, 'registry', 'migrate');
    await ok(dir, env, 'eval', 'support-answer@1.1.0');

    // An event as promptctl wrote it before deploys recorded their model: no detail.
    const project = loadProject(dir);
    const registry = openProjectRegistry(project, { env, clock: systemClock });
    try {
      const hash = project.prompts.find((p) => p.version === '1.1.0')!.hash;
      await registry.appendEvent({ env: 'development', promptId: 'support-answer', version: '1.1.0', previousVersion: null, action: 'deploy', actor: 'old@example.com', reason: null, contentHash: hash });
    } finally {
      await registry.close();
    }
    expect(JSON.parse((await ok(dir, env, 'get', 'support-answer', '--env', 'development', '--json')).stdout)).toMatchObject({ effective: { model: 'sim-model' } });

    const rc = readProjectFile(dir, '.promptrc.yaml');
    writeProjectFile(dir, '.promptrc.yaml', rc.replace('  - name: development\n', '  - name: development\n    model: sim-model-next\n'));
    expect((await ok(dir, env, 'status', '--env', 'development')).stdout).toContain('pending model change: support-answer in development serves sim-model');
    await ok(dir, env, 'eval', 'support-answer@1.1.0', '--model', 'sim-model-next');
    const deployed = JSON.parse((await ok(dir, env, 'deploy', 'support-answer@1.1.0', '--env', 'development', '--json')).stdout);
    expect(deployed.event.detail.served).toEqual({ model: 'sim-model-next', root: 'org/sim-7b-v2', request: { model: 'sim-model-next', temperature: 0, max_tokens: 200 } });
    const bundle = JSON.parse((await ok(dir, env, 'export', '--env', 'development', '--json')).stdout);
    expect(bundle.prompts['support-answer']).toMatchObject({ served: { model: 'sim-model-next' }, effective: { model: 'sim-model-next', temperature: 0 } });
    expect((await ok(dir, env, 'audit', 'verify')).stdout).toMatch(/ok|verified/i);
  });
});
