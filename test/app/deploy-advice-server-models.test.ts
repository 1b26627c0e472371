import { describe, expect, it } from 'vitest';
import { deploy } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { makeSimProject, patchServerConfig, relaxLatencyGate } from '../support/project.js';
import { patchConfig } from '../support/registry-cli.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * `server.models` sets what a plain `promptctl eval` runs a version on: the matrix, not the
 * project's own model. When the model an environment serves is left out, the advice names it with
 * `--model`, so following it gives the run the gate looks for (before, it advised the plain eval,
 * which ran the matrix again and changed nothing).
 */

const sim = simulatorForFile({ models: ['sim-model', 'other-model'] });
const env = { PROMPTCTL_ACTOR: 'script@example.com' };

/** Staging serves other-model (`defaults.model`); the matrix runs sim-model alone. */
function project(): string {
  const cwd = makeSimProject(sim.url);
  relaxLatencyGate(cwd);
  patchServerConfig(cwd, { model: 'sim-model', models: ['sim-model'] });
  patchConfig(cwd, (c) => {
    c.defaults.model = 'other-model';
  });
  return cwd;
}

describe('the eval advised when server.models leaves out the served model', () => {
  it('names --model, and following it makes the version tested there', async () => {
    const cwd = project();
    const plain = await runCliInProcess(['eval', 'support-answer@1.1.0'], { cwd, env });
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    const advice = '`promptctl eval support-answer@1.1.0 --model other-model`';
    const dry = await runCliInProcess(['deploy', 'support-answer@1.1.0', '--env', 'staging', '--dry-run'], { cwd, env });
    expect(dry.stdout).toContain(`1.1.0 has not been tested on other-model: run ${advice}`);
    const refused = await runCliInProcess(['deploy', 'support-answer@1.1.0', '--env', 'staging'], { cwd, env });
    expect(refused.stderr).toContain(`run ${advice} first`);

    const followed = await runCliInProcess(['eval', 'support-answer@1.1.0', '--model', 'other-model'], { cwd, env });
    expect(followed.code, followed.stdout + followed.stderr).toBe(0);
    const after = await deploy({ cwd, env, ref: 'support-answer@1.1.0', environment: 'staging', dryRun: true });
    const tested = after.checks.find((c) => c.kind === 'tested')!;
    expect(tested.kind === 'tested' && tested.state).not.toBe('untested');
  });

  it('promote names --model for the model the target environment serves', async () => {
    const cwd = project();
    patchConfig(cwd, (c) => {
      c.environments.find((e: { name: string }) => e.name === 'staging').model = 'sim-model';
    });
    expect((await runCliInProcess(['eval', 'support-answer@1.1.0'], { cwd, env })).code).toBe(0);
    expect((await deploy({ cwd, env, ref: 'support-answer@1.1.0', environment: 'staging' })).exitCode).toBe(0);
    const dry = await runCliInProcess(['promote', 'support-answer', '--from', 'staging', '--to', 'production', '--dry-run'], { cwd, env });
    expect(dry.stdout).toContain('1.1.0 has not been tested on other-model: run `promptctl eval support-answer@1.1.0 --model other-model`');
  });

  it('advises the plain eval when the matrix holds the served model', async () => {
    const cwd = project();
    patchServerConfig(cwd, { models: ['sim-model', 'other-model'] });
    const dry = await runCliInProcess(['deploy', 'support-answer@1.1.0', '--env', 'staging', '--dry-run'], { cwd, env });
    expect(dry.stdout).toContain('1.1.0 has not been tested on other-model: run `promptctl eval support-answer@1.1.0`');
  });
});
