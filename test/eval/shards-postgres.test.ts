import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/core/schemas/report.js';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { postgresAvailable, postgresAndSimulatorForFile } from '../support/postgres.js';
import { generatedGoldenSuite, makeSimProject, readProjectFile, relaxLatencyGate, writeProjectFile } from '../support/project.js';

/**
 * Sharded evals against a real PostgreSQL team registry: four `eval --shard i/4` jobs then one
 * `eval --merge` give the same verdicts, tested marks and JUnit as one unsharded run of the same
 * 2,000 cases (answered from the same cache); a shard that never ran leaves the merge incomplete.
 */

const pgOk = postgresAvailable();
const REF = 'support-answer@1.1.0';
const live = postgresAndSimulatorForFile();

async function cli(dir: string, env: Record<string, string>, ...args: string[]): Promise<RunResult> {
  const r = await runCliInProcess(args, { cwd: dir, env });
  expect(r.output, 'the password must never be printed').not.toContain(live.cluster.password);
  return r;
}

async function exits(code: number, dir: string, env: Record<string, string>, ...args: string[]): Promise<RunResult> {
  const r = await cli(dir, env, ...args);
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(code);
  return r;
}

/** A project with a 2,000-case suite on a fresh, migrated database. */
async function teamProject(cases: number): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = makeSimProject(live.sim.url);
  relaxLatencyGate(dir);
  writeProjectFile(dir, 'evalsets/support-answer/bulk.yaml', generatedGoldenSuite({ count: cases, threshold: 0.9, versions: '1.1.0' }));
  // A named actor: without one, every eval spawns git to find who records its tested marks.
  const env = { PROMPTCTL_ACTOR: 'ci@example.com', PROMPTCTL_REGISTRY_URL: live.cluster.url(await live.cluster.createDatabase(), { withPassword: true }) };
  await exits(0, dir, env, 'registry', 'migrate');
  return { dir, env };
}

/** What a run must agree on across sharded and unsharded: everything but ids and times. */
function comparable(report: EvalReport) {
  return {
    runs: report.runs.map((o) => ({
      suite: o.run.suite,
      status: o.run.status,
      // A merged run names the shard runs it copied; everything else is the unsharded run's.
      summary: { ...o.run.summary, mergedFrom: undefined },
      cases: o.cases.map((c) => ({ id: c.caseId, verdict: c.verdict, passRate: c.passRate, outputs: c.samples.map((s) => [s.sample, s.verdict, s.output, s.latencyMs]) })),
    })),
    versions: report.versions,
  };
}

/** JUnit without what differs between two invocations: times, ids. */
function junitShape(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/ (time|timestamp)="[^"]*"/g, '')
    .replace(/<property name="(invocation|run|run_id|invocation_id|started|ended)[^"]*" value="[^"]*"\/>/g, '')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>');
}

describe.runIf(pgOk)('sharded evals on the team registry', { timeout: 300_000 }, () => {
  it('4 shards then a merge give the verdicts, marks and JUnit of one unsharded run of 2,000 cases', { timeout: 600_000 }, async () => {
    const { dir, env } = await teamProject(2000);
    const shards = await Promise.all([1, 2, 3, 4].map((i) => exits(0, dir, env, 'eval', REF, '--shard', `${i}/4`, '--invocation', 'pr-7', '--json')));
    const recorded = shards.map((r) => JSON.parse(r.stdout) as EvalReport);
    for (const [i, r] of recorded.entries()) {
      expect(r.shard).toEqual({ index: i + 1, count: 4, invocation: 'pr-7' });
      // A shard has no verdict of its own: no tested mark, no baseline.
      expect(r.versions).toEqual([]);
    }
    // Every case of every suite ran in exactly one shard, and the shards are balanced.
    const bulk = recorded.map((r) => r.runs.find((o) => o.run.suite === 'bulk')!.run.summary!.cases);
    expect(bulk.reduce((a, b) => a + b, 0)).toBe(2000);
    expect(Math.max(...bulk) - Math.min(...bulk)).toBeLessThanOrEqual(1);

    const merged = await cli(dir, env, 'eval', REF, '--merge', '--invocation', 'pr-7', '--json', '--junit', 'merged.xml');
    const whole = await cli(dir, env, 'eval', REF, '--json', '--junit', 'whole.xml');
    expect(merged.code).toBe(whole.code);
    const m = JSON.parse(merged.stdout) as EvalReport;
    const w = JSON.parse(whole.stdout) as EvalReport;
    expect(m.merge).toEqual({ invocation: 'pr-7', count: 4, missing: [] });
    expect(m.runs.map((o) => o.run.summary!.cases)).toEqual(w.runs.map((o) => o.run.summary!.cases));
    expect(m.runs.find((o) => o.run.suite === 'bulk')!.run.summary!.cases).toBe(2000);
    expect(comparable(m)).toEqual(comparable(w));
    for (const o of m.runs) expect(o.run.summary!.mergedFrom).toHaveLength(4);
    expect(m.versions).toEqual([{ promptId: 'support-answer', version: '1.1.0', tested: true }]);
    expect(junitShape(path.join(dir, 'merged.xml'))).toBe(junitShape(path.join(dir, 'whole.xml')));

    // The merge job run again judges the same merged runs: nothing is copied twice.
    const again = JSON.parse((await exits(merged.code!, dir, env, 'eval', REF, '--merge', '--invocation', 'pr-7', '--json')).stdout) as EvalReport;
    expect(again.runs.map((o) => o.run.id)).toEqual(m.runs.map((o) => o.run.id));
  });

  it('a shard that never ran leaves the verdict incomplete (exit 1, no mark); once it runs, the merge passes', { timeout: 300_000 }, async () => {
    const { dir, env } = await teamProject(40);
    for (const i of [1, 2, 4]) await exits(0, dir, env, 'eval', REF, '--shard', `${i}/4`, '--invocation', 'run-9');
    const incomplete = await exits(1, dir, env, 'eval', REF, '--merge', '--invocation', 'run-9', '--json', '--junit', 'j.xml');
    const report = JSON.parse(incomplete.stdout) as EvalReport;
    expect(report.merge!.count).toBe(4);
    expect(report.merge!.missing.map((x) => [x.suite, x.shard, x.state]).sort()).toEqual([
      ['adversarial', '3/4', 'never ran'],
      ['bulk', '3/4', 'never ran'],
      ['golden', '3/4', 'never ran'],
    ]);
    for (const o of report.runs) {
      expect(o.run.summary!.verdict).toBe('incomplete');
      expect(o.run.status).toBe('aborted');
    }
    expect(report.versions[0]!.tested).toBe(false);
    const junit = readFileSync(path.join(dir, 'j.xml'), 'utf8');
    expect(junit).toMatch(/<testsuite name="shards"[^>]*failures="[1-9]/);
    expect(junit).toContain('shard 3/4 never ran');

    const text = await exits(1, dir, env, 'eval', REF, '--merge', '--invocation', 'run-9');
    expect(text.stdout).toContain('INCOMPLETE: shards of invocation run-9 are missing');
    expect(text.stdout).toMatch(/support-answer@1\.1\.0 bulk: shard 3\/4 never ran/);

    await exits(0, dir, env, 'eval', REF, '--shard', '3/4', '--invocation', 'run-9');
    const complete = JSON.parse((await exits(0, dir, env, 'eval', REF, '--merge', '--invocation', 'run-9', '--json')).stdout) as EvalReport;
    expect(complete.merge!.missing).toEqual([]);
    expect(complete.versions[0]!.tested).toBe(true);
  });

  it('a shard run again after a merge (a retried job) is judged by the next merge; without one the merge is reused', async () => {
    const { dir, env } = await teamProject(8);
    for (const i of [1, 2]) await exits(0, dir, env, 'eval', REF, '--shard', `${i}/2`, '--invocation', 'pipeline-42');
    const merge = async () => JSON.parse((await exits(0, dir, env, 'eval', REF, '--merge', '--invocation', 'pipeline-42', '--json')).stdout) as EvalReport;
    const first = await merge();
    await exits(0, dir, env, 'eval', REF, '--shard', '2/2', '--invocation', 'pipeline-42');
    const second = await merge();
    for (const [i, o] of second.runs.entries()) {
      expect(o.run.id, `${o.run.suite}: a new merged run of the newest shard runs`).not.toBe(first.runs[i]!.run.id);
      expect(o.run.summary!.cases).toBe(first.runs[i]!.run.summary!.cases);
    }
    expect((await merge()).runs.map((o) => o.run.id)).toEqual(second.runs.map((o) => o.run.id));
  });

  it('a shard run on other inputs than the merge is named so, not as never run', async () => {
    const { dir, env } = await teamProject(8);
    const config = readProjectFile(dir, '.promptrc.yaml');
    writeProjectFile(dir, '.promptrc.yaml', config.replace(/^defaults:\n/m, 'defaults:\n  top_p: 0.5\n'));
    await exits(0, dir, env, 'eval', REF, '--shard', '1/2', '--invocation', 'drift');
    writeProjectFile(dir, '.promptrc.yaml', config);
    await exits(0, dir, env, 'eval', REF, '--shard', '2/2', '--invocation', 'drift');
    const r = await exits(1, dir, env, 'eval', REF, '--merge', '--invocation', 'drift');
    expect(r.stdout).toMatch(/support-answer@1\.1\.0 bulk: shard 1\/2 ran with other inputs \(the version or suite file, \.promptrc\.yaml or the model changed between the jobs, or they passed other refs, --suite, --repeat, --no-n or case selection flags\): run every shard from one commit, with the same flags as the merge/);
  });

  it('a merge with no shard at all, or shards of different counts, is not a verdict', async () => {
    const { dir, env } = await teamProject(8);
    const none = JSON.parse((await exits(1, dir, env, 'eval', REF, '--merge', '--invocation', 'never', '--json')).stdout) as EvalReport;
    expect(none.merge!.count).toBeNull();
    expect(none.runs.every((o) => o.run.summary!.verdict === 'incomplete')).toBe(true);

    await exits(0, dir, env, 'eval', REF, '--shard', '1/2', '--invocation', 'mixed');
    await exits(0, dir, env, 'eval', REF, '--shard', '2/3', '--invocation', 'mixed');
    const mixed = await exits(2, dir, env, 'eval', REF, '--merge', '--invocation', 'mixed');
    expect(mixed.stderr).toMatch(/different shard counts \(2, 3\)/);
  });

  it('derives the invocation from the CI run: GitHub run id and attempt', async () => {
    const { dir, env } = await teamProject(6);
    const ci = { ...env, GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '1', GITHUB_REPOSITORY: 'acme/bot' };
    const shard = await exits(0, dir, ci, 'eval', REF, '--shard', '1/1');
    expect(shard.stdout).toContain('shard 1/1 of invocation github:acme/bot/4242/1: recorded');
    expect(shard.stdout).toContain('promptctl eval --merge');
    // Attempt 2 is another invocation: attempt 1's shard is not its own.
    await exits(1, dir, { ...ci, GITHUB_RUN_ATTEMPT: '2' }, 'eval', REF, '--merge');
    await exits(0, dir, ci, 'eval', REF, '--merge');
  });
});

describe('sharding needs a shared registry', () => {
  it.each([
    [['eval', '--shard', '1/2', '--invocation', 'x'], /--shard needs a shared registry[\s\S]*PROMPTCTL_REGISTRY_URL/],
    [['eval', '--merge', '--invocation', 'x'], /--merge needs a shared registry/],
    [['ci', '--shard', '1/2', '--invocation', 'x'], /--shard needs a shared registry/],
  ])('on SQLite, %j is exit 2 with a hint', async (args, message) => {
    const dir = makeSimProject('http://127.0.0.1:9');
    const r = await runCliInProcess(args, { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it.each([
    [['eval', '--shard', '1/2', '--merge'], /--shard and --merge cannot be used together/],
    [['eval', '--invocation', 'x'], /--invocation is used only with --shard or --merge/],
    [['eval', '--shard', '5/4'], /--shard 5\/4 is not a shard/],
  ])('%j is exit 2', async (args, message) => {
    const dir = makeSimProject('http://127.0.0.1:9');
    const r = await runCliInProcess(args, { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});

describe.runIf(pgOk)('a shard writes no report files', () => {
  it('--junit on a shard is exit 2 naming the merge', async () => {
    const { dir, env } = await teamProject(4);
    const r = await exits(2, dir, env, 'eval', REF, '--shard', '1/2', '--invocation', 'x', '--junit', 'j.xml');
    expect(r.stderr).toMatch(/--junit is written by the merge, not by a shard/);
  });
});
