import { afterAll, describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { restartableSimulator } from '../support/restartable-simulator.js';
import { cleanupTempDirs, makeSimProject, patchServerConfig } from '../support/project.js';

/**
 * vLLM's default: without --served-model-name, /v1/models reports `root` equal to the served name.
 * That root is the weights a mark is earned on like any other, so a later swap behind the name
 * (`vllm serve /models/ft-v2 --served-model-name sim-model`) is told apart.
 */

const env = { PROMPTCTL_ACTOR: 'weights@example.com' };
const simulator = restartableSimulator((root) => ({ models: ['sim-model'], modelSpecs: root ? [{ id: 'sim-model', root }] : [] }));
const serve = (root?: string) => simulator.serve(root);

afterAll(() => cleanupTempDirs());

describe('a root equal to the served name', () => {
  it('is recorded, so a swap behind the name refuses the mark and a plain eval asks the new weights again', async () => {
    const cwd = makeSimProject((await serve()).url, {}, 'promptctl-rootname-');
    const first = await runEval({ cwd, env, refs: ['support-answer@1.1.0'] });
    expect(first.report.versions).toEqual([{ promptId: 'support-answer', version: '1.1.0', tested: true }]);
    // Before, a root equal to the name was dropped: the run looked like one from a server that names no weights.
    expect(first.report.runs.every(({ run }) => run.summary?.served?.root === 'sim-model')).toBe(true);

    patchServerConfig(cwd, { base_url: (await serve('/models/ft-v2')).url });
    await runEval({ cwd, env, refs: ['support-answer@1.0.0'], suite: ['golden'] });
    const refused = await runCliInProcess(['deploy', 'support-answer@1.1.0', '--env', 'staging', '--actor', 'release@example.com'], { cwd, env });
    expect(refused.code, refused.output).toBe(1);
    expect(refused.stderr).toContain('sim-model now serves other weights (root /models/ft-v2; the mark was earned on sim-model)');

    // A plain eval is not answered from the old weights' cached answers: every sample goes to the server.
    const sent = simulator.running.stats().chatCompletions;
    const again = await runEval({ cwd, env, refs: ['support-answer@1.1.0'], suite: ['golden'] });
    expect(simulator.running.stats().chatCompletions - sent).toBe(again.report.runs.reduce((n, o) => n + (o.run.summary?.samples ?? 0), 0));
    expect(again.report.runs.every(({ run }) => run.summary?.served?.root === '/models/ft-v2')).toBe(true);
  });
});
