import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { runCliInProcess, type RunResult } from '../support/cli.js';
import { cleanupTempDirs, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';
import { markTested as markTestedWithRuns } from '../support/registry-cli.js';

/**
 * The unattended accountability policy: without a terminal (every CLI run here has none), a
 * change to production needs a reason and a named actor (--actor, PROMPTCTL_ACTOR or a CI user
 * variable); a git or OS user guessed by promptctl does not count. No server is needed: versions are
 * marked tested through the registry's internal API.
 */

const ID = 'support-answer';

/** No named actor anywhere in the command's environment (the test runner may itself run in CI). */
const NO_ACTOR = { PROMPTCTL_ACTOR: undefined, GITHUB_ACTOR: undefined, GITLAB_USER_EMAIL: undefined, GITLAB_USER_LOGIN: undefined };

let dir: string;

afterAll(() => cleanupTempDirs());

async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return await runCliInProcess(args, { cwd: dir, env: { ...NO_ACTOR, ...env } });
}

async function expectExit(code: number, args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  const r = await cli(args, env);
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(code);
  return r;
}

async function events(): Promise<any[]> {
  return JSON.parse((await expectExit(0, ['history', '--json'])).stdout).events;
}

/**
 * Registers the versions and marks them tested on the configured model, with a passing run of
 * every suite (production's policy wants an adversarial run), as a passing eval would.
 */
function markTested(...versions: string[]): void {
  markTestedWithRuns(dir, ...versions.map((v) => `${ID}@${v}`));
}

beforeEach(async () => {
  dir = makeProject({ prefix: 'promptctl-unattended-' });
  const config = parseYaml(readProjectFile(dir, '.promptrc.yaml'));
  expect(config.server.model).toBe('sim-model');
  const production = config.environments.find((e: { name: string }) => e.name === 'production');
  production.gates = { ...production.gates, unattended: { require_reason: true, require_actor: true } };
  // A base URL where nothing listens: nothing here may need a server.
  config.server.base_url = 'http://127.0.0.1:9/v1';
  writeProjectFile(dir, '.promptrc.yaml', stringifyYaml(config));
  markTested('1.0.0', '1.1.0');
  // Staging has no unattended policy: neither a reason nor a named actor is needed there.
  const staging = await expectExit(0, ['deploy', `${ID}@1.0.0`, '--env', 'staging']);
  expect(staging.stdout).toMatch(/^deployed support-answer@1\.0\.0 to staging/m);
  await expectExit(0, ['deploy', `${ID}@1.1.0`, '--env', 'staging']);
});

describe('unattended deploys to production', () => {
  it('without --reason: exit 2, naming the policy; nothing recorded', async () => {
    const r = await expectExit(2, ['deploy', `${ID}@1.0.0`, '--env', 'production', '--actor', 'release@example.com']);
    expect(r.stderr).toMatch(/deploying to production without a terminal needs --reason/);
    expect(r.stderr).toMatch(/the production policy sets unattended\.require_reason/);
    expect((await events()).filter((e) => e.env === 'production')).toEqual([]);

    const j = await expectExit(2, ['deploy', `${ID}@1.0.0`, '--env', 'production', '--json']);
    expect(JSON.parse(j.stdout)).toMatchObject({ exitCode: 2 });
  });

  it('with --reason but no named actor (only a guessed git or OS user): exit 2, naming the policy', async () => {
    const r = await expectExit(2, ['deploy', `${ID}@1.0.0`, '--env', 'production', '--reason', 'first release']);
    expect(r.stderr).toMatch(/deploying to production without a terminal needs a named actor/);
    expect(r.stderr).toMatch(/unattended\.require_actor/);
    expect(r.stderr).toMatch(/--actor|PROMPTCTL_ACTOR/);
    expect((await events()).filter((e) => e.env === 'production')).toEqual([]);
  });

  it('with --reason and --actor: deployed, and history records that actor and reason', async () => {
    await expectExit(0, ['deploy', `${ID}@1.0.0`, '--env', 'production', '--reason', 'first release', '--actor', 'release@example.com']);
    expect((await events()).at(-1)).toMatchObject({ env: 'production', version: '1.0.0', action: 'deploy', actor: 'release@example.com', reason: 'first release' });
    expect((await expectExit(0, ['history', ID, '--env', 'production'])).stdout).toMatch(/deploy +support-answer@1\.0\.0 in production \(from nothing\) by release@example\.com: first release/);
  });

  it('with --reason and PROMPTCTL_ACTOR: deployed, and history records that actor', async () => {
    await expectExit(0, ['deploy', `${ID}@1.1.0`, '--env', 'production', '--reason', 'JSON answers'], { PROMPTCTL_ACTOR: 'ci-bot@example.com' });
    expect((await events()).at(-1)).toMatchObject({ env: 'production', version: '1.1.0', actor: 'ci-bot@example.com', reason: 'JSON answers' });
  });

  it('--actor wins over PROMPTCTL_ACTOR, and a CI user variable (GITHUB_ACTOR) counts as named', async () => {
    await expectExit(0, ['deploy', `${ID}@1.0.0`, '--env', 'production', '--reason', 'r1', '--actor', 'explicit@example.com'], { PROMPTCTL_ACTOR: 'env@example.com' });
    expect((await events()).at(-1)).toMatchObject({ version: '1.0.0', actor: 'explicit@example.com' });
    await expectExit(0, ['deploy', `${ID}@1.1.0`, '--env', 'production', '--reason', 'r2'], { GITHUB_ACTOR: 'octocat' });
    expect((await events()).at(-1)).toMatchObject({ version: '1.1.0', actor: 'octocat' });
  });

  it('--dry-run predicts the real deploy: each unmet requirement is a FAIL line, and it exits 2 as the real deploy does', async () => {
    const before = await events();
    const real = await expectExit(2, ['deploy', `${ID}@1.0.0`, '--env', 'production']);
    expect(real.stderr).toMatch(/without a terminal needs --reason/);
    const r = await expectExit(2, ['deploy', `${ID}@1.0.0`, '--env', 'production', '--dry-run']);
    expect(r.stdout).toMatch(/^dry run: support-answer@1\.0\.0 to production would be refused/m);
    expect(r.stdout).toMatch(/^ {2}FAIL deploying to production without a terminal needs --reason "\.\.\.": the production policy sets unattended\.require_reason/m);
    expect(r.stdout).toMatch(/^ {2}FAIL deploying to production without a terminal needs a named actor: the production policy sets unattended\.require_actor/m);
    expect(r.stdout).toMatch(/^without --dry-run this stops at the policy above with exit 2, before any gate is judged: 2 requirements are unmet, and --force does not skip them$/m);
    // The gates are still judged and listed.
    expect(r.stdout).toMatch(/^ {2}ok {3}/m);
    // Only the missing one is listed.
    const noActor = await expectExit(2, ['deploy', `${ID}@1.0.0`, '--env', 'production', '--dry-run', '--reason', 'first release']);
    expect(noActor.stdout).not.toMatch(/needs --reason/);
    expect(noActor.stdout).toMatch(/FAIL .*needs a named actor/);
    const j = JSON.parse((await expectExit(2, ['deploy', `${ID}@1.0.0`, '--env', 'production', '--dry-run', '--json'])).stdout);
    // The code it exits with is in its JSON too (as a refusal's error object carries it).
    expect(j).toMatchObject({ allowed: false, dryRun: true, exitCode: 2 });
    expect(j.checks.filter((c: { ok: boolean }) => !c.ok).map((c: { id: string }) => c.id)).toEqual(['accountability-reason', 'accountability-actor']);
    // Met: the dry run and the real deploy agree again.
    const ok = await expectExit(0, ['deploy', `${ID}@1.0.0`, '--env', 'production', '--dry-run', '--reason', 'first release'], { PROMPTCTL_ACTOR: 'ci-bot@example.com' });
    expect(ok.stdout).toMatch(/^dry run: support-answer@1\.0\.0 to production would be deployed/m);
    expect(ok.stdout).not.toMatch(/FAIL/);
    expect(await events()).toEqual(before);
  });

  it('promote --dry-run to production checks the same policy', async () => {
    expect(JSON.parse((await expectExit(2, ['promote', ID, '--from', 'staging', '--to', 'production', '--dry-run', '--json'])).stdout)).toMatchObject({ dryRun: true, exitCode: 2 });
    const r = await expectExit(2, ['promote', ID, '--from', 'staging', '--to', 'production', '--dry-run']);
    expect(r.stdout).toMatch(/would be refused/);
    expect(r.stdout).toMatch(/FAIL deploying to production without a terminal needs --reason/);
    await expectExit(0, ['promote', ID, '--from', 'staging', '--to', 'production', '--dry-run', '--reason', 'r', '--actor', 'a@example.com']);
    // Staging has no such policy.
    await expectExit(0, ['deploy', `${ID}@1.0.0`, '--env', 'staging', '--dry-run']);
  });

  it('rollback --dry-run checks the same policy and exits 2 when the real rollback would', async () => {
    await expectExit(0, ['deploy', `${ID}@1.0.0`, '--env', 'production', '--reason', 'r1', '--actor', 'a@example.com']);
    await expectExit(0, ['deploy', `${ID}@1.1.0`, '--env', 'production', '--reason', 'r2', '--actor', 'a@example.com']);
    const before = await events();
    const r = await expectExit(2, ['rollback', ID, '--env', 'production', '--dry-run']);
    expect(r.stdout).toMatch(/^dry run: would refuse to roll back support-answer in production: 1\.1\.0 -> 1\.0\.0/m);
    expect(r.stdout).toMatch(/FAIL rolling back production without a terminal needs --reason/);
    expect(r.stdout).toMatch(/FAIL rolling back production without a terminal needs a named actor/);
    const ok = await expectExit(0, ['rollback', ID, '--env', 'production', '--dry-run', '--reason', 'regressed', '--actor', 'oncall@example.com']);
    expect(ok.stdout).toMatch(/^dry run: would roll back support-answer in production: 1\.1\.0 -> 1\.0\.0/m);
    expect(await events()).toEqual(before);
  });

  it('a rollback of production is held to the same policy', async () => {
    await expectExit(0, ['deploy', `${ID}@1.0.0`, '--env', 'production', '--reason', 'r1', '--actor', 'a@example.com']);
    await expectExit(0, ['deploy', `${ID}@1.1.0`, '--env', 'production', '--reason', 'r2', '--actor', 'a@example.com']);
    const noReason = await expectExit(2, ['rollback', ID, '--env', 'production', '--actor', 'oncall@example.com']);
    expect(noReason.stderr).toMatch(/rolling back production without a terminal needs --reason/);
    const noActor = await expectExit(2, ['rollback', ID, '--env', 'production', '--reason', 'answers regressed']);
    expect(noActor.stderr).toMatch(/needs a named actor/);
    await expectExit(0, ['rollback', ID, '--env', 'production', '--reason', 'answers regressed', '--actor', 'oncall@example.com']);
    expect((await events()).at(-1)).toMatchObject({ action: 'rollback', version: '1.0.0', actor: 'oncall@example.com', reason: 'answers regressed' });
  });
});
