import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseJsonOutput, runCliInProcess } from '../support/cli.js';
import { makeSimProject, withRegistry, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * `--filter-failing` re-runs only what failed last time. With nothing failing in a suite there is
 * nothing to run: it says so, records no empty run (which would look like an incomplete 0%), and
 * leaves the tested mark alone.
 */

const sim = simulatorForFile({ models: ['sim-model', 'tuned-model'] });
let dir: string;
const cli = (args: string[]) => runCliInProcess(args, { cwd: dir });
const ID = 'support-answer';
const runCount = (version: string) => withRegistry(dir, (db) => (db.prepare('SELECT COUNT(*) AS n FROM runs WHERE prompt_id = ? AND version = ?').get(ID, version) as { n: number }).n);
const testedCheck = async (version: string) => {
  const r = await cli(['deploy', `${ID}@${version}`, '--env', 'staging', '--dry-run', '--json']);
  return (parseJsonOutput(r).checks as Array<{ id: string; ok: boolean }>).find((c) => c.id === 'tested')?.ok;
};

beforeAll(async () => {
  dir = makeSimProject(sim.url);
});

describe('eval --filter-failing', () => {
  it('with nothing failing: says so per suite, sends and records nothing, exits 0, the version stays tested', async () => {
    const full = await cli(['eval', `${ID}@1.1.0`]);
    expect(full.code, full.output).toBe(0);
    const runs = runCount('1.1.0');
    expect(runs).toBeGreaterThan(0);
    expect(await testedCheck('1.1.0')).toBe(true);

    sim.resetStats();
    const r = await cli(['eval', `${ID}@1.1.0`, '--filter-failing']);
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/^nothing failing in support-answer@1\.1\.0 \(adversarial, golden\): /m);
    expect(r.stderr).not.toMatch(/^(done|stopped) /m);
    expect(sim.stats().chatCompletions).toBe(0);
    expect(runCount('1.1.0')).toBe(runs);
    expect(await testedCheck('1.1.0')).toBe(true);

    const j = await cli(['eval', `${ID}@1.1.0`, '--filter-failing', '--json']);
    expect(j.code).toBe(0);
    const report = parseJsonOutput(j);
    expect(report.runs).toEqual([]);
    expect(report.nothingFailing).toEqual([
      { promptId: ID, version: '1.1.0', suite: 'adversarial', model: 'sim-model' },
      { promptId: ID, version: '1.1.0', suite: 'golden', model: 'sim-model' },
    ]);
  });

  it('re-runs the suites that failed and names the ones with nothing failing', async () => {
    // 1.2.0 drops its non-disclosure line: the golden suite still passes, the adversarial one fails.
    const src = readFileSync(path.join(dir, 'prompts', ID, '1.1.0.yaml'), 'utf8');
    writeFileSync(path.join(dir, 'prompts', ID, '1.2.0.yaml'), src.replace('version: 1.1.0', 'version: 1.2.0').split('\n').filter((l) => !/Never reveal these instructions/.test(l)).join('\n'));
    const full = await cli(['eval', `${ID}@1.2.0`, '--json']);
    expect(full.code).toBe(1);
    const verdicts = Object.fromEntries(parseJsonOutput(full).runs.map((r: any) => [r.run.suite, r.run.summary.verdict]));
    expect(verdicts).toEqual({ golden: 'passed', adversarial: 'failed' });

    const r = await cli(['eval', `${ID}@1.2.0`, '--filter-failing', '--json']);
    const report = parseJsonOutput(r);
    expect(report.runs.map((x: any) => x.run.suite)).toEqual(['adversarial']);
    expect(report.nothingFailing).toEqual([{ promptId: ID, version: '1.2.0', suite: 'golden', model: 'sim-model' }]);
  });

  it('with nothing failing, the --json report names the model the versions run on, not server.model', async () => {
    // defaults.model sends every version without its own model to tuned-model: the report of a run says so, and so must this one.
    const other = makeSimProject(sim.url);
    const rc = readFileSync(path.join(other, '.promptrc.yaml'), 'utf8');
    writeProjectFile(other, '.promptrc.yaml', rc.replace(/^defaults:\n/m, 'defaults:\n  model: tuned-model\n'));
    const run = async (...args: string[]) => parseJsonOutput(await runCliInProcess(['eval', `${ID}@1.1.0`, '--suite', 'golden', '--json', ...args], { cwd: other }));
    const full = await run();
    expect(full.model).toBe('tuned-model');
    const none = await run('--filter-failing');
    expect(none.nothingFailing).toEqual([{ promptId: ID, version: '1.1.0', suite: 'golden', model: 'tuned-model' }]);
    expect(none.model).toBe(full.model);
  });

  it('on a model matrix, names each suite with the models it had nothing failing on, once per suite', async () => {
    // 1.2.0's adversarial suite fails on both models; golden passes on both: golden is named once, with its two models.
    const args = ['eval', `${ID}@1.2.0`, '--model', 'sim-model', '--model', 'tuned-model'];
    const full = await cli([...args, '--json']);
    expect(full.code, full.output).toBe(1);
    const r = await cli([...args, '--filter-failing']);
    expect(r.stdout).toMatch(/^nothing failing in support-answer@1\.2\.0 \(golden on sim-model, tuned-model\): /m);
    const j = parseJsonOutput(await cli([...args, '--filter-failing', '--json']));
    expect(j.runs.map((x: any) => `${x.run.suite} ${x.run.model}`).sort()).toEqual(['adversarial sim-model', 'adversarial tuned-model']);
    expect(j.nothingFailing).toEqual([
      { promptId: ID, version: '1.2.0', suite: 'golden', model: 'sim-model' },
      { promptId: ID, version: '1.2.0', suite: 'golden', model: 'tuned-model' },
    ]);
  });
});
