import { afterAll, describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { restartableSimulator } from '../support/restartable-simulator.js';
import { cleanupTempDirs, makeSimProject, patchServerConfig, readProjectFile, withRegistry, writeProjectFile } from '../support/project.js';

/**
 * The ordinary release flow: CI evaluates, the release job re-runs the eval (answered wholly from
 * the cache) and deploys. The deploy records the weights the cached answers came from, as after a
 * run that asked the server, so a later swap of weights is told and recorded by a redeploy.
 */

const env = { PROMPTCTL_ACTOR: 'release@example.com' };
const simulator = restartableSimulator((root) => ({ models: ['sim-model'], modelSpecs: [{ id: 'sim-model', root: root! }, { id: 'support-lora', parent: 'sim-model' }] }));
const serve = (root: string) => simulator.serve(root);
afterAll(() => cleanupTempDirs());

const cli = (cwd: string, ...args: string[]) => runCliInProcess(args, { cwd, env });
const served = async (cwd: string) => JSON.parse((await cli(cwd, 'get', 'support-answer', '--env', 'staging', '--json')).stdout).served;
const marks = (cwd: string) => withRegistry(cwd, (db) => (db.prepare("SELECT count(*) AS n FROM events WHERE action = 'tested'").get() as { n: number }).n);
const request = (model: string) => ({ model, temperature: 0, max_tokens: 200 });

describe('a deploy after a re-run answered from the cache', () => {
  it('records the root of the reused answers, and a redeploy after a swap records the new one', async () => {
    const cwd = makeSimProject((await serve('org/sim-7b-v1')).url, {}, 'promptctl-cached-weights-');
    expect((await runEval({ cwd, env, refs: ['support-answer@1.1.0'] })).exitCode).toBe(0);
    const asked = simulator.running.stats().chatCompletions;
    const cached = await runEval({ cwd, env, refs: ['support-answer@1.1.0'] });
    expect(simulator.running.stats().chatCompletions).toBe(asked);
    expect(cached.report.runs.map(({ run }) => [run.summary?.served, run.summary?.cachedRoot])).toEqual([
      [{ root: 'org/sim-7b-v1' }, 'org/sim-7b-v1'],
      [{ root: 'org/sim-7b-v1' }, 'org/sim-7b-v1'],
    ]);
    // The cached re-run reproduces the mark's evidence: it still appends no new tested event.
    expect(cached.report.versions).toEqual([{ promptId: 'support-answer', version: '1.1.0', tested: true }]);
    expect(marks(cwd)).toBe(1);

    await simulator.stop();
    for (const e of ['development', 'staging']) expect((await cli(cwd, 'deploy', 'support-answer@1.1.0', '--env', e)).code).toBe(0);
    // Before, the event recorded the model and request only: no root, so no swap could be told.
    expect(await served(cwd)).toEqual({ model: 'sim-model', root: 'org/sim-7b-v1', request: request('sim-model') });

    patchServerConfig(cwd, { base_url: (await serve('org/sim-7b-v9')).url });
    expect((await runEval({ cwd, env, refs: ['support-answer@1.0.0'] })).exitCode).toBe(0);
    expect((await runEval({ cwd, env, refs: ['support-answer@1.1.0'], cache: false })).exitCode).toBe(0);
    await simulator.stop();
    // Before: "already active in staging: nothing to do", and get kept serving no root.
    const again = await cli(cwd, 'deploy', 'support-answer@1.1.0', '--env', 'staging');
    expect(again.code, again.output).toBe(0);
    expect(again.stdout).toMatch(/deployed support-answer@1\.1\.0 to staging \(was 1\.1\.0; event #\d+\)\n {2}weights: sim-model root org\/sim-7b-v1 -> org\/sim-7b-v9/);
    expect(await served(cwd)).toEqual({ model: 'sim-model', root: 'org/sim-7b-v9', request: request('sim-model') });
  });

  it('records an adapter with its parent and the parent root', async () => {
    const cwd = makeSimProject((await serve('org/base-v1')).url, {}, 'promptctl-cached-weights-');
    writeProjectFile(cwd, '.promptrc.yaml', readProjectFile(cwd, '.promptrc.yaml').replace(/^ {2}- name: staging$/m, '  - name: staging\n    model: support-lora'));
    const adapter = { root: 'adapters/support-lora', parent: 'sim-model', parentRoot: 'org/base-v1' };
    expect((await runEval({ cwd, env, refs: ['support-answer@1.1.0'], model: ['support-lora'] })).exitCode).toBe(0);
    const cached = await runEval({ cwd, env, refs: ['support-answer@1.1.0'], model: ['support-lora'] });
    expect(cached.report.runs.map(({ run }) => run.summary?.served)).toEqual([adapter, adapter]);
    await simulator.stop();
    const deployed = await cli(cwd, 'deploy', 'support-answer@1.1.0', '--env', 'staging');
    expect(deployed.code, deployed.output).toBe(0);
    expect(await served(cwd)).toEqual({ model: 'support-lora', ...adapter, request: request('support-lora') });
  });
});
