import { afterAll, describe, expect, it } from 'vitest';
import { rollback, runEval, status } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { restartableSimulator } from '../support/restartable-simulator.js';
import { cleanupTempDirs, makeSimProject, patchServerConfig, readProjectFile, relaxLatencyGate, writeProjectFile } from '../support/project.js';

/**
 * A server that swaps the weights behind a model name: a tested mark earned on the old weights
 * (the `root` its runs recorded) stops counting once a later run on that name records another root.
 * The deploy gate reads this from the registry only.
 */

const env = { PROMPTCTL_ACTOR: 'weights@example.com' };
const simulator = restartableSimulator((root) => ({ models: ['sim-model'], modelSpecs: [{ id: 'sim-model', root: root! }] }));
const serve = (root: string) => simulator.serve(root);
/** Nothing listens while the gate or status decides: they must not ask the server. */
const offline = () => simulator.stop();
afterAll(() => cleanupTempDirs());

const deploy = (cwd: string, ref: string) => runCliInProcess(['deploy', ref, '--env', 'staging', '--actor', 'release@example.com'], { cwd, env });

describe('tested marks bind to the weights the model name serves', () => {
  it('refuses a mark earned on other weights, offline, until the version is evaluated again', async () => {
    const cwd = makeSimProject((await serve('org/sim-7b-v1')).url, {}, 'promptctl-root-');
    expect((await runEval({ cwd, env, refs: ['support-answer@1.1.0'] })).report.versions).toEqual([{ promptId: 'support-answer', version: '1.1.0', tested: true }]);

    // Same name, other weights: another version's run records the new root.
    patchServerConfig(cwd, { base_url: (await serve('org/sim-7b-v2')).url });
    await runEval({ cwd, env, refs: ['support-answer@1.0.0'] });
    // The gate must not ask the server: nothing listens while it decides.
    await offline();
    const refused = await deploy(cwd, 'support-answer@1.1.0');
    expect(refused.code, refused.output).toBe(1);
    expect(refused.stderr).toContain(
      'sim-model now serves other weights (root org/sim-7b-v2; the mark was earned on org/sim-7b-v1): evaluate it again on them: run `promptctl eval support-answer@1.1.0 --no-cache`',
    );
    // The hint names the same command: a cached re-run would judge the old weights' answers again.
    expect(refused.stderr).toContain('run `promptctl eval support-answer@1.1.0 --no-cache` first');

    // A re-run whose every answer is cached, but from weights a later run saw replaced, is not
    // answered from the cache: the server is asked again (all of it) and the mark earned on v2.
    // Before, it judged the old weights' answers again, said "not tested" and exited 0, and ci passed.
    patchServerConfig(cwd, { base_url: (await serve('org/sim-7b-v2')).url });
    const again = await runEval({ cwd, env, refs: ['support-answer@1.1.0'] });
    expect(simulator.running.stats().chatCompletions).toBe(again.report.runs.reduce((n, o) => n + (o.run.summary?.samples ?? 0), 0));
    expect(again.report.runs.every(({ run }) => run.summary?.served?.root === 'org/sim-7b-v2')).toBe(true);
    expect(again.report.versions).toEqual([{ promptId: 'support-answer', version: '1.1.0', tested: true }]);
    await offline();
    const deployed = await deploy(cwd, 'support-answer@1.1.0');
    expect(deployed.code, deployed.output).toBe(0);
  });

  it('a partly cached re-run after a swap asks again every answer the old weights gave, and earns the mark on the new ones', async () => {
    const cwd = makeSimProject((await serve('org/sim-7b-v1')).url, {}, 'promptctl-root-');
    const first = await runEval({ cwd, env, refs: ['support-answer@1.1.0'] });
    expect(first.exitCode).toBe(0);
    const samples = simulator.running.stats().chatCompletions;
    patchServerConfig(cwd, { base_url: (await serve('org/sim-7b-v2')).url });
    // One new golden case: the eval asks the server, which names other weights, so no answer of the
    // old ones is reused (the adversarial suite's included) and the runs are the new weights' own.
    const golden = 'evalsets/support-answer/golden.yaml';
    const original = readProjectFile(cwd, golden);
    writeProjectFile(cwd, golden, `${readProjectFile(cwd, golden)}  - id: new-case\n    vars: { question: "Do you ship abroad?" }\n    expect:\n      - no-pii: true\n`);
    const again = await runEval({ cwd, env, refs: ['support-answer@1.1.0'] });
    expect(again.exitCode).toBe(0);
    expect(simulator.running.stats().chatCompletions).toBe(samples + 1);
    expect(again.report.runs.every(({ run }) => run.summary?.served?.root === 'org/sim-7b-v2')).toBe(true);
    expect(again.report.versions).toEqual([{ promptId: 'support-answer', version: '1.1.0', tested: true }]);

    // The cache now holds the new weights' answers: a re-run is answered wholly from it, and stays tested.
    const cached = await runEval({ cwd, env, refs: ['support-answer@1.1.0'] });
    expect(simulator.running.stats().chatCompletions).toBe(samples + 1);
    expect(cached.report.versions).toEqual([{ promptId: 'support-answer', version: '1.1.0', tested: true }]);
    // Back to the old suite content, whose earlier run was on the old weights: the cached answers
    // themselves say which weights gave them (the new ones), so the cached re-run is earned on those.
    writeProjectFile(cwd, golden, original);
    const restored = await runEval({ cwd, env, refs: ['support-answer@1.1.0'] });
    expect(simulator.running.stats().chatCompletions).toBe(samples + 1);
    expect(restored.report.runs.every(({ run }) => run.summary?.cachedRoot === 'org/sim-7b-v2')).toBe(true);
    expect(restored.report.versions).toEqual([{ promptId: 'support-answer', version: '1.1.0', tested: true }]);
    await offline();
    const deployed = await deploy(cwd, 'support-answer@1.1.0');
    expect(deployed.code, deployed.output).toBe(0);
  });

  it('a rollback onto a version tested on weights the name no longer serves goes ahead, and says so', async () => {
    const cwd = makeSimProject((await serve('org/sim-7b-v1')).url, {}, 'promptctl-root-');
    relaxLatencyGate(cwd); // 1.1.0 replaces 1.0.0: no verdict here may depend on how fast this machine answers
    expect((await runEval({ cwd, env, refs: ['support-answer@1.0.0', 'support-answer@1.1.0'] })).exitCode).toBe(0);
    expect((await deploy(cwd, 'support-answer@1.0.0')).code).toBe(0);
    patchServerConfig(cwd, { base_url: (await serve('org/sim-7b-v2')).url });
    expect((await runEval({ cwd, env, refs: ['support-answer@1.1.0'], cache: false })).exitCode).toBe(0);
    expect((await deploy(cwd, 'support-answer@1.1.0')).code).toBe(0);
    await offline();
    const dry = await runCliInProcess(['rollback', 'support-answer', '--env', 'staging', '--dry-run'], { cwd, env });
    expect(dry.stdout).toContain('warning: sim-model now serves other weights (root org/sim-7b-v2) than support-answer@1.0.0 was tested on (root org/sim-7b-v1); check it there: promptctl eval support-answer@1.0.0 --no-cache');
    const back = await rollback({ cwd, env, id: 'support-answer', environment: 'staging' });
    expect(back).toMatchObject({ plan: { ok: true, to: '1.0.0' }, exitCode: 0, otherWeights: { model: 'sim-model', testedOn: 'org/sim-7b-v1', servedNow: 'org/sim-7b-v2' } });
  });

  it('status says a deployed mark earned on other weights is stale, as the gate refuses it', async () => {
    const cwd = makeSimProject((await serve('org/sim-7b-v1')).url, {}, 'promptctl-root-');
    expect((await runEval({ cwd, env, refs: ['support-answer@1.1.0'] })).exitCode).toBe(0);
    expect((await deploy(cwd, 'support-answer@1.1.0')).code).toBe(0);
    patchServerConfig(cwd, { base_url: (await serve('org/sim-7b-v2')).url });
    await runEval({ cwd, env, refs: ['support-answer@1.0.0'] });
    await offline();
    const row = (await status({ cwd, env, environment: 'staging' })).rows[0]!;
    expect(row).toMatchObject({ tested: false, otherWeights: { earnedRoot: 'org/sim-7b-v1', currentRoot: 'org/sim-7b-v2' } });
    const text = await runCliInProcess(['status', '--env', 'staging'], { cwd, env });
    expect(text.stdout).toMatch(/^support-answer\s+staging\s+1\.1\.0\s+stale\s/m);
    expect(text.stdout).toContain('stale: support-answer@1.1.0 in staging was tested on other weights (root org/sim-7b-v1) than its model serves now (root org/sim-7b-v2); deploy and promote refuse its mark until: promptctl eval support-answer@1.1.0 --no-cache');
  });

  it('a redeploy of the active version after a swap records the new weights, which get then serves', async () => {
    const cwd = makeSimProject((await serve('org/sim-7b-v1')).url, {}, 'promptctl-root-');
    expect((await runEval({ cwd, env, refs: ['support-answer@1.1.0'] })).exitCode).toBe(0);
    expect((await deploy(cwd, 'support-answer@1.1.0')).code).toBe(0);
    patchServerConfig(cwd, { base_url: (await serve('org/sim-7b-v2')).url });
    expect((await runEval({ cwd, env, refs: ['support-answer@1.1.0'], cache: false })).exitCode).toBe(0);
    await offline();
    const served = async () => JSON.parse((await runCliInProcess(['get', 'support-answer', '--env', 'staging', '--json'], { cwd, env })).stdout).served;
    expect((await served()).root).toBe('org/sim-7b-v1');
    // Before, "already active: nothing to do", and get named the old weights until another version was deployed.
    const dry = await runCliInProcess(['deploy', 'support-answer@1.1.0', '--env', 'staging', '--dry-run'], { cwd, env });
    expect(dry.stdout).toContain('dry run: support-answer@1.1.0 to staging would be deployed\n  weights: sim-model root org/sim-7b-v1 -> org/sim-7b-v2');
    const again = await deploy(cwd, 'support-answer@1.1.0');
    expect(again.code, again.output).toBe(0);
    expect(again.stdout).toMatch(/deployed support-answer@1\.1\.0 to staging \(was 1\.1\.0; event #\d+\)\n  weights: sim-model root org\/sim-7b-v1 -> org\/sim-7b-v2/);
    expect((await served()).root).toBe('org/sim-7b-v2');
    expect((await deploy(cwd, 'support-answer@1.1.0')).stdout).toContain('support-answer@1.1.0 is already active in staging: nothing to do');
    // The audit trail says it too, filtered or not: the redeploy's only change is the weights.
    for (const args of [[], ['--action', 'deploy'], ['--limit', '1']]) {
      const h = await runCliInProcess(['history', 'support-answer', '--env', 'staging', ...args], { cwd, env });
      expect(h.stdout.trimEnd().split('\n').at(-1)).toMatch(/ deploy +support-answer@1\.1\.0 in staging \(from 1\.1\.0; weights: sim-model root org\/sim-7b-v1 -> org\/sim-7b-v2\) by /);
    }
  });

  it('keeps a mark while the name serves the weights it was earned on', async () => {
    const cwd = makeSimProject((await serve('org/sim-7b-v1')).url, {}, 'promptctl-root-');
    await runEval({ cwd, env, refs: ['support-answer@1.1.0'] });
    await runEval({ cwd, env, refs: ['support-answer@1.0.0'] });
    await offline();
    const r = await deploy(cwd, 'support-answer@1.1.0');
    expect(r.code, r.output).toBe(0);
  });
});
