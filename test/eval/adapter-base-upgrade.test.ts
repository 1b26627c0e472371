import { afterAll, describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { restartableSimulator } from '../support/restartable-simulator.js';
import { cleanupTempDirs, makeSimProject, patchServerConfig, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * A LoRA adapter's weights are its base's plus its own: the adapter's `root` (its own path) stays
 * the same when the base model under it is upgraded, so the base's root is recorded beside it, and
 * a change of either is other weights, for the deploy gate and for the response cache.
 */

const env = { PROMPTCTL_ACTOR: 'weights@example.com' };
const simulator = restartableSimulator((baseRoot) => ({ models: ['sim-model'], modelSpecs: [{ id: 'sim-model', root: baseRoot! }, { id: 'support-lora', parent: 'sim-model' }] }));
const serve = (root?: string) => simulator.serve(root);

afterAll(() => cleanupTempDirs());

describe('an adapter whose base model is upgraded under it', () => {
  it('records the base root, refuses the mark earned on the old base, and asks the server again', async () => {
    const cwd = makeSimProject((await serve('org/base-v1')).url, {}, 'promptctl-lora-base-');
    writeProjectFile(cwd, '.promptrc.yaml', readProjectFile(cwd, '.promptrc.yaml').replace(/^ {2}- name: staging$/m, '  - name: staging\n    model: support-lora'));
    const first = await runEval({ cwd, env, refs: ['support-answer@1.1.0'], model: ['support-lora'] });
    expect(first.report.versions).toEqual([{ promptId: 'support-answer', version: '1.1.0', model: 'support-lora', tested: true }]);
    expect(first.report.runs[0]!.run.summary?.served).toEqual({ root: 'adapters/support-lora', parent: 'sim-model', parentRoot: 'org/base-v1' });

    // The base is upgraded; a run on the base name records it. The adapter's own root is unchanged.
    patchServerConfig(cwd, { base_url: (await serve('org/base-v2')).url });
    await runEval({ cwd, env, refs: ['support-answer@1.0.0'], suite: ['golden'] });
    await simulator.stop();
    const refused = await runCliInProcess(['deploy', 'support-answer@1.1.0', '--env', 'staging', '--actor', 'release@example.com'], { cwd, env });
    expect(refused.code, refused.output).toBe(1);
    expect(refused.stderr).toContain('support-lora now serves other weights (root adapters/support-lora on org/base-v2; the mark was earned on adapters/support-lora on org/base-v1)');

    // A plain eval on the adapter is not answered from the old base's cached answers.
    patchServerConfig(cwd, { base_url: (await serve('org/base-v2')).url });
    const again = await runEval({ cwd, env, refs: ['support-answer@1.1.0'], model: ['support-lora'], suite: ['golden'] });
    expect(simulator.running.stats().chatCompletions).toBe(again.report.runs.reduce((n, o) => n + (o.run.summary?.samples ?? 0), 0));
    expect(again.report.runs[0]!.run.summary?.served?.parentRoot).toBe('org/base-v2');
  });
});
