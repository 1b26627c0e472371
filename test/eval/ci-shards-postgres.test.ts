import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CiResult } from '../../src/core/ci/result.js';
import { commitAll, git, initRepo } from '../support/ci-repo.js';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { postgresAvailable, postgresAndSimulatorForFile } from '../support/postgres.js';
import { generatedGoldenSuite, makeSimProject, readProjectFile, relaxLatencyGate, writeProjectFile } from '../support/project.js';

/**
 * `ci --shard i/n` in the jobs of a CI matrix and one `ci --merge` job, on a PostgreSQL team
 * registry: the shards record and exit 0 with no files; the merge gives the gate's verdict, the
 * JUnit and the summary, the same as one unsharded `ci`; a missing shard makes it incomplete.
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
// sim-model-weak: another model, worse at some cases, for a pull request that moves production to it.
const live = postgresAndSimulatorForFile({ models: ['sim-model', 'sim-model-weak'], modelSpecs: [{ id: 'sim-model-weak', root: 'org/sim-7b-v3', weakness: 0.6 }] });

const NO_CI_USER = { PROMPTCTL_ACTOR: undefined, GITHUB_ACTOR: undefined, GITLAB_USER_EMAIL: undefined, GITLAB_USER_LOGIN: undefined, GITHUB_BASE_REF: undefined };

async function exits(code: number, dir: string, env: Record<string, string | undefined>, ...args: string[]): Promise<RunResult> {
  const r = await runCliInProcess(args, { cwd: dir, env: { ...NO_CI_USER, ...env } });
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(code);
  expect(r.output, 'the password must never be printed').not.toContain(live.cluster.password);
  return r;
}

/** main: the example project with 1.1.0 deployed to production in a fresh team registry; a branch adds 1.2.0 and a 60-case suite. */
async function pullRequest(): Promise<{ dir: string; env: Record<string, string>; database: string }> {
  const dir = makeSimProject(live.sim.url, {}, 'promptctl-ci-shards-');
  relaxLatencyGate(dir);
  const database = await live.cluster.createDatabase();
  const env = { PROMPTCTL_REGISTRY_URL: live.cluster.url(database, { withPassword: true }) };
  await exits(0, dir, env, 'registry', 'migrate');
  initRepo(dir, 'the example project');
  await exits(0, dir, env, 'eval', `${ID}@1.1.0`);
  await exits(0, dir, env, 'deploy', `${ID}@1.1.0`, '--env', 'staging', '--actor', 'rm@example.com');
  await exits(0, dir, env, 'deploy', `${ID}@1.1.0`, '--env', 'production', '--reason', 'first release', '--actor', 'rm@example.com');
  git(dir, 'checkout', '-q', '-b', 'candidate');
  await exits(0, dir, env, 'new', ID, '--minor', '--description', 'a candidate');
  const file = `prompts/${ID}/1.2.0.yaml`;
  writeProjectFile(dir, file, readProjectFile(dir, file).replace('description: a candidate', 'description: a candidate, tried in shards'));
  writeProjectFile(dir, 'evalsets/support-answer/bulk.yaml', generatedGoldenSuite({ count: 60, threshold: 0.9, versions: '>=1.2.0' }));
  commitAll(dir, 'candidate 1.2.0');
  return { dir, env, database };
}

const json = (r: RunResult) => JSON.parse(r.stdout) as CiResult;

describe.runIf(pgOk)('ci sharded across jobs', { timeout: 300_000 }, () => {
  it('shards record without files; the merge gives the same gate, JUnit and summary as one unsharded ci', async () => {
    const { dir, env } = await pullRequest();
    const ci = { ...env, GITHUB_RUN_ID: '100', GITHUB_RUN_ATTEMPT: '1', GITHUB_REPOSITORY: 'acme/prompts' };
    for (const i of [1, 2, 3]) {
      const shard = json(await exits(0, dir, ci, 'ci', '--base', 'main', '--shard', `${i}/3`, '--json'));
      expect(shard.verdict).toBe('shard-recorded');
      expect(shard.shard).toEqual({ index: i, count: 3, invocation: 'github:acme/prompts/100/1' });
    }
    const text = await exits(0, dir, ci, 'ci', '--base', 'main', '--shard', '1/3');
    expect(text.stdout).toContain('shard 1/3 recorded; `promptctl ci --merge` gives the verdict');

    const merged = json(await exits(0, dir, ci, 'ci', '--base', 'main', '--merge', '--junit', 'merged.xml', '--summary', 'merged.md', '--json'));
    expect(merged.verdict).toBe('passed');
    expect(merged.merge).toEqual({ invocation: 'github:acme/prompts/100/1', count: 3, missing: [] });
    expect(merged.report!.versions).toContainEqual({ promptId: ID, version: '1.2.0', tested: true });
    expect(merged.report!.runs.find((o) => o.run.suite === 'bulk')!.run.summary!.cases).toBe(60);

    const whole = json(await exits(0, dir, env, 'ci', '--base', 'main', '--junit', 'whole.xml', '--summary', 'whole.md', '--json'));
    // A merged run names the shard runs it copied (mergedFrom); everything else is the unsharded run's.
    const verdicts = (r: CiResult) => r.report!.runs.map((o) => [o.run.promptId, o.run.version, o.run.suite, { ...o.run.summary, mergedFrom: undefined }, o.cases.map((c) => [c.caseId, c.verdict])]);
    expect(verdicts(merged)).toEqual(verdicts(whole));
    for (const o of merged.report!.runs) expect(o.run.summary!.mergedFrom).toHaveLength(3);
    expect(merged.report!.baselines).toEqual(whole.report!.baselines);
    const shape = (f: string) => readFileSync(path.join(dir, f), 'utf8').replace(/ (time|timestamp)="[^"]*"/g, '').replace(/<property name="(invocation|run)[^"]*" value="[^"]*"\/>/g, '');
    expect(shape('merged.xml')).toBe(shape('whole.xml'));
    const md = (f: string) => readFileSync(path.join(dir, f), 'utf8').replace(/invocation `[^`]*`/g, '').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '').replace(/Audit log head `[^`]*`|audit verify --since \S+/g, '');
    expect(md('merged.md')).toBe(md('whole.md'));
  });

  it('a shard that did not run makes the merge incomplete: exit 1, named in the summary and JUnit', async () => {
    const { dir, env } = await pullRequest();
    const ci = { ...env, CI_PIPELINE_ID: '555', CI_PROJECT_PATH: 'acme/prompts' };
    await exits(0, dir, ci, 'ci', '--base', 'main', '--shard', '2/2');
    const r = json(await exits(1, dir, ci, 'ci', '--base', 'main', '--merge', '--junit', 'j.xml', '--summary', 's.md', '--json'));
    expect(r.verdict).toBe('incomplete');
    expect(r.merge!.missing.every((m) => m.shard === '1/2' && m.state === 'never ran')).toBe(true);
    const summary = readFileSync(path.join(dir, 's.md'), 'utf8');
    expect(summary).toContain('promptctl ci: incomplete, a shard did not finish (exit 1)');
    expect(summary).toMatch(/Incomplete: shards missing[\s\S]*shard 1\/2 never ran/);
    expect(readFileSync(path.join(dir, 'j.xml'), 'utf8')).toMatch(/<testsuite name="shards"[^>]*failures="[1-9]/);
    const text = await exits(1, dir, ci, 'ci', '--base', 'main', '--merge');
    expect(text.stdout).toMatch(/INCOMPLETE: shards of invocation gitlab:acme\/prompts\/555 are missing/);
    // The missing shard is why 1.2.0 has no finished run: no gate sends the user to an unsharded eval.
    expect(r.policy).toBeUndefined();
    expect(text.stdout).not.toMatch(/^GATE |run `promptctl eval/m);
  });

  it('shards started at once on a revised draft supersede it once, and none of them fails', async () => {
    const { dir, env, database } = await pullRequest();
    await exits(0, dir, env, 'eval', `${ID}@1.2.0`, '--suite', 'golden');
    const file = `prompts/${ID}/1.2.0.yaml`;
    writeProjectFile(dir, file, readProjectFile(dir, file).replace('tried in shards', 'tried in shards, revised'));
    commitAll(dir, 'revise 1.2.0');
    const shards = await Promise.all([1, 2, 3].map((i) => exits(0, dir, env, 'ci', '--base', 'main', '--shard', `${i}/3`, '--invocation', 'rev', '--json')));
    // A shard reports the revision when it found the old content registered; one that looked after a
    // sibling had swapped it in finds nothing to revise. Which shards looked first is up to the scheduler.
    const reported = shards.map((r) => json(r).revised.map((v) => v.ref));
    for (const refs of reported) expect([[], [`${ID}@1.2.0`]]).toContainEqual(refs);
    expect(reported.flat()).toContain(`${ID}@1.2.0`);
    const [row] = await live.cluster.query<{ n: string }>("SELECT count(*) AS n FROM promptctl.events WHERE action = 'supersede'", [], database);
    expect(Number(row!.n)).toBe(1);
    expect(json(await exits(0, dir, env, 'ci', '--base', 'main', '--merge', '--invocation', 'rev', '--json')).verdict).toBe('passed');
  });

  it('ci --shard refuses report files: the merge writes them', async () => {
    const { dir, env } = await pullRequest();
    const r = await exits(2, dir, env, 'ci', '--base', 'main', '--shard', '1/2', '--invocation', 'x', '--html', 'r.html');
    expect(r.stderr).toContain('--html is written by the merge, not by a shard');
  });

  it('the merge judges a model upgrade the pull request makes, as one unsharded ci does: refused (exit 1)', async () => {
    const { dir, env } = await pullRequest();
    git(dir, 'checkout', '-q', '-b', 'weak-model', 'main');
    writeProjectFile(dir, '.promptrc.yaml', readProjectFile(dir, '.promptrc.yaml').replace('  - name: production\n', '  - name: production\n    model: sim-model-weak\n'));
    commitAll(dir, 'production on sim-model-weak');
    const ci = { ...env, GITHUB_RUN_ID: '200', GITHUB_RUN_ATTEMPT: '1', GITHUB_REPOSITORY: 'acme/prompts' };
    for (const i of [1, 2]) expect(json(await exits(0, dir, ci, 'ci', '--base', 'main', '--shard', `${i}/2`, '--json')).modelUpgrades).toBeUndefined();
    const merged = json(await exits(1, dir, ci, 'ci', '--base', 'main', '--merge', '--junit', 'merged.xml', '--json'));
    const whole = json(await exits(1, dir, env, 'ci', '--base', 'main', '--json'));
    expect(merged.verdict).toBe('gate-failed');
    expect(whole.modelUpgrades).toMatchObject([{ promptId: ID, version: '1.1.0', env: 'production', from: 'sim-model', to: 'sim-model-weak', allowed: false }]);
    expect(merged.modelUpgrades).toEqual(whole.modelUpgrades);
    expect(readFileSync(path.join(dir, 'merged.xml'), 'utf8')).toMatch(/<testcase [^>]*name="[^"]*\(model upgrade\)"[^>]*>\s*<failure/);
    const text = await exits(1, dir, ci, 'ci', '--base', 'main', '--merge');
    expect(text.stdout).toMatch(/^MODEL UPGRADE support-answer@1\.1\.0 in production: sim-model -> sim-model-weak: REFUSED/m);
  });
});
