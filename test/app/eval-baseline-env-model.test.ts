import { describe, expect, it } from 'vitest';
import { deploy, runEval } from '../../src/app/index.js';
import { makeSimProject, readProjectFile, relaxLatencyGate, writeProjectFile } from '../support/project.js';
import { patchConfig } from '../support/registry-cli.js';
import { simulatorForFile } from '../support/simulator.js';
import { runCliInProcess } from '../support/cli.js';

/**
 * `eval --baseline <env>` where the environment names its own model (`environments[].model`): the
 * deploy gate judges the candidate on that model, so eval evaluates it there too and compares.
 * Before, the candidate ran only on its own model, the comparison found no run on the
 * environment's, and the eval passed having compared nothing.
 */

const sim = simulatorForFile({ models: ['sim-model', 'sim-model-next'], modelSpecs: [{ id: 'sim-model-next', root: 'org/sim-7b-v2', weakness: 0.6 }] });
const env = { PROMPTCTL_ACTOR: 'script@example.com' };

describe('eval --baseline with an environment model', () => {
  it('evaluates the candidate on the model the environment serves and compares it there', async () => {
    const cwd = makeSimProject(sim.url);
    relaxLatencyGate(cwd);
    expect((await runEval({ cwd, env, refs: ['support-answer@1.1.0'] })).exitCode).toBe(0);
    expect((await deploy({ cwd, env, ref: 'support-answer@1.1.0', environment: 'staging' })).exitCode).toBe(0);
    patchConfig(cwd, (c) => {
      c.environments.find((e: { name: string }) => e.name === 'staging').model = 'sim-model-next';
    });
    writeProjectFile(cwd, 'prompts/support-answer/1.2.0.yaml', readProjectFile(cwd, 'prompts/support-answer/1.1.0.yaml').replace('version: 1.1.0', 'version: 1.2.0'));

    const r = await runEval({ cwd, env, refs: ['support-answer@1.2.0'], suite: ['golden'], baseline: 'staging' });
    const models = r.report.runs.map((o) => `${o.run.version}:${o.run.model}`).sort();
    expect(models).toContain('1.2.0:sim-model-next');
    const golden = r.report.baselines[0]!.suites.find((s) => s.suite === 'golden');
    // Compared, not skipped: the weaker model's drop is judged as the deploy gate judges it.
    expect(golden, JSON.stringify(r.report.baselines)).toBeDefined();
    expect(golden!.baselinePassRate).toBe(1);
    expect(r.report.runs.every((o) => o.showModel)).toBe(true);
    const dry = await deploy({ cwd, env, ref: 'support-answer@1.2.0', environment: 'staging', dryRun: true });
    const gateRegressed = dry.checks.some((c) => c.kind === 'regression-pass-rate' && !c.ok);
    expect(golden!.regressions.length > 0).toBe(gateRegressed);
  });

  it("the gates' hints name the environment's model, and following them makes the version tested and compared there", async () => {
    const cwd = makeSimProject(sim.url);
    relaxLatencyGate(cwd);
    expect((await runEval({ cwd, env, refs: ['support-answer@1.1.0'] })).exitCode).toBe(0);
    expect((await deploy({ cwd, env, ref: 'support-answer@1.1.0', environment: 'staging' })).exitCode).toBe(0);
    patchConfig(cwd, (c) => {
      c.environments.find((e: { name: string }) => e.name === 'staging').model = 'sim-model-next';
    });
    const before = await runCliInProcess(['deploy', 'support-answer@1.1.0', '--env', 'staging', '--dry-run'], { cwd, env });
    const advice = '`promptctl eval support-answer@1.1.0 --model sim-model-next`';
    expect(before.stdout).toContain(`FAIL 1.1.0 has not been tested on sim-model-next: run ${advice}`);
    // The skipped regression lines name the same eval: the plain one would run on sim-model again.
    const skips = before.stdout.split('\n').filter((l) => l.includes('not compared'));
    expect(skips.length).toBe(2);
    for (const line of skips) expect(line).toContain(`on sim-model-next; run ${advice} to compare`);
    const refused = await runCliInProcess(['deploy', 'support-answer@1.1.0', '--env', 'staging'], { cwd, env });
    expect(refused.stderr).toContain(`run ${advice} first`);
    await runCliInProcess(['eval', 'support-answer@1.1.0', '--model', 'sim-model-next'], { cwd, env });
    const after = await deploy({ cwd, env, ref: 'support-answer@1.1.0', environment: 'staging', dryRun: true });
    const tested = after.checks.find((c) => c.kind === 'tested')!;
    expect(tested.kind === 'tested' && tested.state).not.toBe('untested');
    expect(after.checks.filter((c) => c.kind === 'regression-not-compared')).toEqual([]);
  });
});
