import { describe, expect, it } from 'vitest';
import { power } from '../../src/app/index.js';
import { InputError } from '../../src/core/errors.js';
import { runCliInProcess } from '../support/cli.js';
import { generatedGoldenSuite, makeSimProject, readProjectFile, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/** `power` as a library use case: the suite's newest counting run gives the pass rate and the noise. */

const sim = simulatorForFile();
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
