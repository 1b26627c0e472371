import { afterAll, describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { restartableSimulator } from '../support/restartable-simulator.js';
import { cleanupTempDirs, makeSimProject, patchServerConfig } from '../support/project.js';

/**
 * The active version after a swap of the weights behind its model name: its deploy recorded the old
 * root, the registry knows the new one. It is not "already active": the gate refuses it, and a
 * forced redeploy is an override like any other, recorded with its reason and the weights served now.
 */

const env = { PROMPTCTL_ACTOR: 'weights@example.com' };
const simulator = restartableSimulator((root) => ({ models: ['sim-model'], modelSpecs: [{ id: 'sim-model', root: root! }] }));
const serve = (root?: string) => simulator.serve(root);

afterAll(() => cleanupTempDirs());

const deploy = (cwd: string, ...more: string[]) => runCliInProcess(['deploy', 'support-answer@1.1.0', '--env', 'staging', '--actor', 'release@example.com', ...more], { cwd, env });

describe('the active version over swapped weights', () => {
  it('is refused, and --force --reason records an override with the new weights', async () => {
    const cwd = makeSimProject((await serve('org/sim-7b-v1')).url, {}, 'promptctl-swap-override-');
    expect((await runEval({ cwd, env, refs: ['support-answer@1.1.0'] })).exitCode).toBe(0);
    expect((await deploy(cwd)).code).toBe(0);
    patchServerConfig(cwd, { base_url: (await serve('org/sim-7b-v2')).url });
    await runEval({ cwd, env, refs: ['support-answer@1.0.0'], suite: ['golden'] });
    await simulator.stop();

    const refused = await deploy(cwd);
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toContain('sim-model now serves other weights (root org/sim-7b-v2; the mark was earned on org/sim-7b-v1)');
    expect(refused.output).not.toContain('already active');

    // Before: "already active in staging: nothing to do" beside the FAIL, exit 0, nothing recorded.
    const forced = await deploy(cwd, '--force', '--reason', 'keep serving');
    expect(forced.code, forced.output).toBe(0);
    expect(forced.stdout).toMatch(/^overrode gates and deployed support-answer@1\.1\.0 to staging \(was 1\.1\.0; event #3\)\n {2}weights: sim-model root org\/sim-7b-v1 -> org\/sim-7b-v2\n/);
    expect(forced.stdout).not.toContain('nothing to do');
    const history = JSON.parse((await runCliInProcess(['history', '--env', 'staging', '--json'], { cwd, env })).stdout).events as Array<Record<string, unknown>>;
    expect(history.find((e) => e.seq === 3)).toMatchObject({ action: 'override', reason: 'keep serving', version: '1.1.0' });
    const served = JSON.parse((await runCliInProcess(['get', 'support-answer', '--env', 'staging', '--json'], { cwd, env })).stdout).served;
    expect(served.root).toBe('org/sim-7b-v2');
  });
});
