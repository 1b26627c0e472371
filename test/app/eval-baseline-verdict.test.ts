import { beforeAll, describe, expect, it } from 'vitest';
import { runEval } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { makeProject, makeSimProject, readProjectFile, relaxLatencyGate, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * One verdict everywhere: `eval --baseline <env>` applies the regression check deploy applies and
 * exits 1 on a regression, even when every run passed its threshold (before, it printed the
 * regression, said "All suite runs passed" and exited 0, so a CI job running eval let it through).
 */

const sim = simulatorForFile();
const env = { PROMPTCTL_ACTOR: 'script@example.com' };

/** 1.1.0 deployed everywhere; 1.2.0 forgets the refund fact: 20 of 40 cases fail, above the 0.5 threshold, 50 points below 1.1.0. */
async function regressedProject(): Promise<string> {
  const dir = makeSimProject(sim.url, {}, 'promptctl-baseline-verdict-');
  relaxLatencyGate(dir);
  const cases = Array.from({ length: 20 }, (_, i) => [
    [`refund-${i}`, `How long do I have to ask for a refund? (ticket ${i})`, '30 days'],
    [`hours-${i}`, `What are your support hours? (ticket ${i})`, '9am'],
  ])
    .flat()
    .map(([id, q, want]) => `  - id: ${id}\n    vars: { question: "${q}" }\n    expect:\n      - icontains: "${want}"\n`);
  writeProjectFile(dir, 'evalsets/support-answer/mixed.yaml', `prompt: support-answer\nversions: ">=1.1.0"\nkind: golden\nthreshold: 0.5\ncases:\n${cases.join('')}`);
  const cli = (...args: string[]) => runCliInProcess(args, { cwd: dir, env });
  expect((await cli('eval', 'support-answer@1.1.0')).code).toBe(0);
  expect((await cli('deploy', 'support-answer@1.1.0', '--env', 'staging')).code).toBe(0);
  expect((await cli('deploy', 'support-answer@1.1.0', '--env', 'production', '--reason', 'first')).code).toBe(0);
  const next = readProjectFile(dir, 'prompts/support-answer/1.1.0.yaml')
    .replace('version: 1.1.0', 'version: 1.2.0')
    .replace(/ {6}- Refunds are available within 30 days of purchase\.\n/, '');
  writeProjectFile(dir, 'prompts/support-answer/1.2.0.yaml', next);
  return dir;
}

// Made once (an eval and two deploys) and copied per test: each test then evaluates and deploys in
// a registry of its own.
let template: string;
beforeAll(async () => {
  template = await regressedProject();
});
const regressed = () => makeProject({ from: template });

describe('eval --baseline', () => {
  it('exits 1 on a regression although every run passed its threshold, and says why', async () => {
    const dir = regressed();
    const r = await runCliInProcess(['eval', 'support-answer@1.2.0', '--suite', 'mixed', '--baseline', 'production'], { cwd: dir, env });
    expect(r.code, r.output).toBe(1);
    expect(r.stdout).toMatch(/1 suite run passed its threshold, but 1 regression fails the gate\./);
    expect(r.stdout).not.toMatch(/1 suite run passed\./);

    const result = await runEval({ cwd: dir, env, refs: ['support-answer@1.2.0'], suite: ['mixed'], baseline: 'production' });
    expect(result).toMatchObject({ verdict: 'failed', exitCode: 1 });
    expect(result.report.runs[0]!.run.summary!.verdict).toBe('passed');
    const mixed = result.report.baselines[0]!.suites.find((s) => s.suite === 'mixed')!;
    expect(mixed.regressions).toEqual(['regression-pass-rate']);
    // 20 of 40 cases got worse: a proven regression, not an inconclusive one.
    expect(mixed).not.toHaveProperty('inconclusive');
  });

  it('an inconclusive drop that blocks in production fails too, and is reported as inconclusive, not as a regression', async () => {
    const dir = regressed();
    // The 4-case golden suite: 1 case got worse, 25 points observed against a limit of 5, too few cases to prove it.
    const r = await runCliInProcess(['eval', 'support-answer@1.2.0', '--suite', 'golden', '--baseline', 'production'], { cwd: dir, env });
    expect(r.code, r.output).toBe(1);
    expect(r.stdout).toMatch(/1 suite run passed its threshold, but 1 inconclusive check fails the gate\./);
    expect(r.stdout).not.toMatch(/regression\(s\)/);

    const result = await runEval({ cwd: dir, env, refs: ['support-answer@1.2.0'], suite: ['golden'], baseline: 'production' });
    expect(result).toMatchObject({ verdict: 'failed', exitCode: 1 });
    const golden = result.report.baselines[0]!.suites.find((s) => s.suite === 'golden')!;
    expect(golden).toMatchObject({ regressions: ['regression-pass-rate'], inconclusive: ['regression-pass-rate'] });
  });

  it('the JUnit file fails with the eval: a gate suite holds the regression', async () => {
    const dir = regressed();
    const r = await runCliInProcess(['eval', 'support-answer@1.2.0', '--suite', 'mixed', '--baseline', 'production', '--junit', 'junit.xml'], { cwd: dir, env });
    expect(r.code, r.output).toBe(1);
    const xml = readProjectFile(dir, 'junit.xml');
    expect(xml).toMatch(/<testsuite name="gate" tests="1" failures="1" errors="0"/);
    expect(xml).toMatch(/<testcase classname="gate\.support-answer" name="support-answer@1\.2\.0 mixed vs production \(1\.1\.0\)" time="0">\n\s+<failure message="golden suite 'mixed': pass rate 50\.0% dropped 50\.0 points from 100\.0%/);
    expect(Number(/<testsuites [^>]*failures="(\d+)"/.exec(xml)![1])).toBeGreaterThan(0);
  });

  it('an inconclusive drop that only warns in staging is shown as a warning, as deploy shows it, and passes', async () => {
    const dir = regressed();
    const r = await runEval({ cwd: dir, env, refs: ['support-answer@1.2.0'], suite: ['golden'], baseline: 'staging' });
    expect(r).toMatchObject({ verdict: 'passed', exitCode: 0 });
    const golden = r.report.baselines[0]!.suites.find((s) => s.suite === 'golden')!;
    expect(golden.regressions).toEqual([]);
    expect(golden.warnings).toEqual(['regression-pass-rate']);
    const text = await runCliInProcess(['eval', 'support-answer@1.2.0', '--suite', 'golden', '--baseline', 'staging', '--summary', 's.md'], { cwd: dir, env: { ...env, COLUMNS: '400' } });
    expect(text.code, text.output).toBe(0);
    expect(text.stdout).toMatch(/warn: golden suite 'golden': inconclusive: 1 of 4 cases got/);
    expect(readProjectFile(dir, 's.md')).toMatch(/⚠️ not blocking here: golden suite 'golden': inconclusive: 1 of 4 cases got worse/);
    const dry = await runCliInProcess(['deploy', 'support-answer@1.2.0', '--env', 'staging', '--dry-run'], { cwd: dir, env });
    expect(dry.stdout).toMatch(/^ {2}warn golden suite 'golden': inconclusive: 1 of 4 cases got worse/m);
  });

  it('the same regression refuses the deploy: eval and deploy agree', async () => {
    const dir = regressed();
    await runCliInProcess(['eval', 'support-answer@1.2.0'], { cwd: dir, env });
    const d = await runCliInProcess(['deploy', 'support-answer@1.2.0', '--env', 'staging', '--dry-run'], { cwd: dir, env });
    expect(d.code, d.output).toBe(1);
    expect(d.output).toMatch(/FAIL .*suite 'mixed'.*dropped/);
  });

  it('without a regression, the verdict is the runs\' (exit 0)', async () => {
    const dir = regressed();
    const r = await runEval({ cwd: dir, env, refs: ['support-answer@1.1.0'], suite: ['mixed'], baseline: 'production' });
    expect(r).toMatchObject({ verdict: 'passed', exitCode: 0 });
  });
});
