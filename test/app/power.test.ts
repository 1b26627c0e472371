import { describe, expect, it } from 'vitest';
import { power } from '../../src/app/index.js';
import { InputError } from '../../src/core/errors.js';
import { runCliInProcess } from '../support/cli.js';
import { generatedGoldenSuite, makeSimProject, readProjectFile, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/** `power` as a library use case: the suite's newest counting run gives the pass rate and the noise. */

// sim-model-weak fails some cases: a run on it and one on sim-model give other baselines.
const sim = simulatorForFile({ models: ['sim-model', 'sim-model-weak'], modelSpecs: [{ id: 'sim-model-weak', weakness: 0.6 }] });
const env = { PROMPTCTL_ACTOR: 'script@example.com' };

describe('power', () => {
  it('without a run: the pass rate is assumed, temperature 0 means no noise, every environment has a row', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-power-');
    const r = await power({ cwd: dir, env, suite: 'support-answer/golden' });
    expect(r).toMatchObject({ promptId: 'support-answer', suite: 'golden', kind: 'golden', cases: 4, passRate: 0.85, passRateAssumed: true, noise: 'deterministic', discordance: 0, power: 0.8, familySize: 2 });
    expect(r.run).toBeUndefined();
    expect(r.environments.map((e) => e.env)).toEqual(['development', 'staging', 'production']);
    expect(r.environments[2]).toMatchObject({ maxDrop: 0.05, confidence: 0.95, testedAt: 0.975, method: 'paired' });
    expect(r.environments[2]!.casesNeeded).toBeGreaterThan(4);
  });

  it('reads the newest counting run of the highest version; --env narrows to one environment', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-power-');
    expect((await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden'], { cwd: dir, env })).code).toBe(0);
    const r = await power({ cwd: dir, env, suite: 'golden', environment: 'staging' });
    expect(r).toMatchObject({ passRate: 1, passRateAssumed: false, noise: 'deterministic', run: { version: '1.1.0', cases: 4, repeats: false } });
    expect(r.environments.map((e) => e.env)).toEqual(['staging']);
  });

  it("--env plans from the run on the environment's model, and names it", async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-power-');
    writeProjectFile(dir, '.promptrc.yaml', readProjectFile(dir, '.promptrc.yaml').replace(/^ {2}- name: production$/m, '  - name: production\n    model: sim-model-weak'));
    const cli = (...args: string[]) => runCliInProcess(args, { cwd: dir, env });
    const assumed = await cli('power', 'support-answer/golden', '--env', 'production');
    expect(assumed.stdout).toMatch(/^baseline pass rate: 85\.0% assumed: no counting run of this suite on sim-model-weak yet \(promptctl eval support-answer --suite golden --model sim-model-weak records one\)$/m);
    expect((await cli('eval', 'support-answer@1.1.0', '--suite', 'golden', '--model', 'sim-model-weak')).code).toBeLessThan(2);
    // The newest run of the suite is on the project's model, which production does not serve.
    expect((await cli('eval', 'support-answer@1.1.0', '--suite', 'golden')).code).toBe(0);
    const production = await power({ cwd: dir, env, suite: 'support-answer/golden', environment: 'production' });
    expect(production).toMatchObject({ model: 'sim-model-weak', evalNeedsModel: true, passRateAssumed: false, run: { version: '1.1.0', model: 'sim-model-weak', cases: 4 } });
    // Before, 100.0% from the sim-model run.
    expect(production.passRate).toBeLessThan(1);
    const text = await cli('power', 'support-answer/golden', '--env', 'production');
    expect(text.stdout).toContain(`baseline pass rate: ${(production.passRate * 100).toFixed(1)}%, from support-answer@1.1.0's run ${production.run!.id.slice(0, 8)} on sim-model-weak (4 cases)\n`);
    const staging = await power({ cwd: dir, env, suite: 'support-answer/golden', environment: 'staging' });
    expect(staging).toMatchObject({ model: 'sim-model', passRate: 1, run: { model: 'sim-model' } });
    expect(staging.evalNeedsModel).toBeUndefined();
    expect(JSON.parse((await cli('power', 'support-answer/golden', '--env', 'production', '--json')).stdout)).toMatchObject({ model: 'sim-model-weak', run: { model: 'sim-model-weak' } });
  });

  it('with repeats at temperature > 0 the noise is measured from the samples', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-power-');
    writeProjectFile(dir, 'evalsets/support-answer/many.yaml', generatedGoldenSuite({ count: 40, versions: '>=1.1.0' }).replace('repeat: 1', 'repeat: 3'));
    writeProjectFile(dir, 'prompts/support-answer/1.1.0.yaml', readProjectFile(dir, 'prompts/support-answer/1.1.0.yaml').replace('temperature: 0', 'temperature: 0.5'));
    expect((await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'many'], { cwd: dir, env })).code).toBeLessThan(2);
    const r = await power({ cwd: dir, env, suite: 'support-answer/many' });
    expect(r).toMatchObject({ cases: 40, temperature: 0.5, noise: 'repeats', run: { repeats: true, cases: 40 } });
    expect(r.discordance).toBeGreaterThan(0);
    expect(r.passRate).toBeLessThan(1);
  });

  it('an unknown suite is exit 2 naming it and listing the suites', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-power-');
    const e = await power({ cwd: dir, env, suite: 'support-answer/nope' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).toContain('"support-answer/nope"');
    expect((e as InputError).why).toContain('support-answer/adversarial, support-answer/golden');
  });

  it('a suite whose file does not load is exit 2 with its problems, not "unknown"', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-power-');
    writeProjectFile(dir, 'evalsets/support-answer/broken.yaml', 'prompt: support-answer\nkind: golden\ncases: 3\n');
    const e = await power({ cwd: dir, env, suite: 'support-answer/broken' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).message).not.toContain('unknown suite');
    expect((e as InputError).problems.map((p) => p.file).join()).toContain('broken.yaml');
  });
});
