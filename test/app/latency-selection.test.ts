import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/core/schemas/report.js';
import { runCliInProcess } from '../support/cli.js';
import { generatedGoldenSuite, makeSimProject, readProjectFile, removeProjectFile, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/** `eval --suite s --baseline env --measure-latency` measures the selected suite only, not every suite of the version. */

const sim = simulatorForFile();
const env = { PROMPTCTL_ACTOR: 'rm@example.com' };
const cli = (dir: string, ...args: string[]) => runCliInProcess(args, { cwd: dir, env });

describe('a latency measurement of a selection', { timeout: 120_000 }, () => {
  it('measures only the suites the eval selected', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-latency-selection-');
    removeProjectFile(dir, 'evalsets/support-answer/adversarial.yaml');
    removeProjectFile(dir, 'evalsets/support-answer/golden.yaml');
    writeProjectFile(dir, 'evalsets/support-answer/golden.yaml', generatedGoldenSuite({ count: 4, threshold: 0.5 }));
    writeProjectFile(dir, 'evalsets/support-answer/other.yaml', generatedGoldenSuite({ count: 4, threshold: 0.5, prefix: 'other' }));
    writeProjectFile(dir, 'prompts/support-answer/1.2.0.yaml', readProjectFile(dir, 'prompts/support-answer/1.1.0.yaml').replace('version: 1.1.0', 'version: 1.2.0'));
    expect((await cli(dir, 'eval', 'support-answer@1.1.0')).code).toBe(0);
    expect((await cli(dir, 'deploy', 'support-answer@1.1.0', '--env', 'staging')).code).toBe(0);
    const r = await cli(dir, 'eval', 'support-answer@1.2.0', '--suite', 'golden', '--baseline', 'staging', '--measure-latency', '--json');
    const report = JSON.parse(r.stdout) as EvalReport;
    expect(report.runs.map((o) => o.run.suite)).toEqual(['golden']);
    expect(report.latency!.map((l) => l.suite)).toEqual(['golden']);
  });
});

describe('a latency measurement against a deployed version whose file is gone', { timeout: 120_000 }, () => {
  it('says where it is active and how to restore it, from the folder the command ran in', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-latency-gone-');
    removeProjectFile(dir, 'evalsets/support-answer/adversarial.yaml');
    removeProjectFile(dir, 'evalsets/support-answer/golden.yaml');
    writeProjectFile(dir, 'evalsets/support-answer/golden.yaml', generatedGoldenSuite({ count: 2, threshold: 0.5 }));
    writeProjectFile(dir, 'prompts/support-answer/1.2.0.yaml', readProjectFile(dir, 'prompts/support-answer/1.1.0.yaml').replace('version: 1.1.0', 'version: 1.2.0'));
    expect((await cli(dir, 'eval', 'support-answer@1.1.0')).code).toBe(0);
    expect((await cli(dir, 'deploy', 'support-answer@1.1.0', '--env', 'staging')).code).toBe(0);
    removeProjectFile(dir, 'prompts/support-answer/1.1.0.yaml');
    const before = await cli(dir, 'history', 'support-answer', '--json');
    const r = await runCliInProcess(['eval', 'support-answer@1.2.0', '--baseline', 'staging', '--measure-latency'], { cwd: `${dir}/evalsets`, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('support-answer@1.1.0 is active in staging but its file was deleted (prompts/support-answer/1.1.0.yaml)');
    expect(r.stderr).toContain('a latency measurement sends the deployed version');
    // Outside git, the registry's copy restores it (named from the folder the command ran in).
    expect(r.stderr).toContain('git has no copy of it: `promptctl show support-answer@1.1.0 --released` prints the content it was released with as a version file; save that as ../prompts/support-answer/1.1.0.yaml');
    // Refused before the suites ran: nothing sent, nothing recorded.
    expect(r.stdout).not.toContain('done');
    expect(JSON.parse((await cli(dir, 'history', 'support-answer', '--json')).stdout)).toEqual(JSON.parse(before.stdout));
  });
});
