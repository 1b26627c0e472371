import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploy, promote, runEval } from '../../src/app/index.js';
import { formatProblem, InputError } from '../../src/core/errors.js';
import { runCliInProcess } from '../support/cli.js';
import { commitAll, git, initRepo } from '../support/ci-repo.js';
import { makeProject, makeSimProject, readProjectFile, removeProjectFile, writeProjectFile } from '../support/project.js';
import { markReleased, markTested, patchConfig } from '../support/registry-cli.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * Promoting (or deploying) a version whose file was deleted says that it runs somewhere and its
 * file is gone, with how to restore it; before, it said the version "does not exist" and suggested
 * another version the user never typed.
 */

const ID = 'support-answer';
const sim = simulatorForFile();

describe('a deployed version whose file was deleted', () => {
  it.each([
    ['promote --dry-run', (cwd: string) => promote({ cwd, env: {}, id: ID, from: 'development', to: 'staging', dryRun: true })],
    ['deploy', (cwd: string) => deploy({ cwd, env: {}, ref: `${ID}@1.0.0`, environment: 'staging', actor: 'a@example.com' })],
  ])('%s names where it runs and how to restore the file', async (_name, run) => {
    const cwd = makeProject();
    markReleased(cwd, `${ID}@1.0.0`);
    // A draft 1.2.0 is the nearest spelling: it must not be suggested.
    writeProjectFile(cwd, `prompts/${ID}/1.2.0.yaml`, readProjectFile(cwd, `prompts/${ID}/1.1.0.yaml`).replace(/^version: 1\.1\.0$/m, 'version: 1.2.0'));
    removeProjectFile(cwd, `prompts/${ID}/1.0.0.yaml`);
    const error = await run(cwd).then(
      () => undefined,
      (e: unknown) => e as { message: string; hint: string; exitCode: number },
    );
    expect(error?.message).toBe(`${ID}@1.0.0 is active in development but its file was deleted (prompts/${ID}/1.0.0.yaml)`);
    expect(error?.exitCode).toBe(2);
    expect(error?.hint).toContain(`\`git log --all -- prompts/${ID}/1.0.0.yaml\``);
    expect(error?.hint).toContain(`\`promptctl get ${ID} --env development\` serves its registered content`);
    expect(error?.hint).not.toContain('1.2.0');
  });
});

/**
 * Every command that takes a version ref shares that rule (`resolveRegisteredVersion`): those that
 * send, record or write from the file refuse with the restore; those that only look at the version
 * or its stored runs use the registered content and say so. Before, each said "does not exist" with a
 * neighbour suggested, and report "is not in this project" though its runs were stored.
 */
describe('a registered version whose file a commit deleted, in every command that takes a version', () => {
  const FILE = `prompts/${ID}/1.0.0.yaml`;
  /** 1.0.0 and 1.1.0 tested (runs stored), 1.0.0 active in development, then its file deleted by a commit. */
  function deletedByCommit(): string {
    const cwd = makeProject();
    initRepo(cwd);
    markTested(cwd, `${ID}@1.0.0`, `${ID}@1.1.0`);
    markReleased(cwd, `${ID}@1.0.0`);
    git(cwd, 'rm', '-q', FILE);
    commitAll(cwd, 'drop 1.0.0');
    return cwd;
  }

  it.each([
    ['eval', ['eval', `${ID}@1.0.0`]],
    ['new', ['new', `${ID}@1.0.0`]],
    ['render', ['render', `${ID}@1.0.0`, '--var', 'question=hi']],
    ['redteam generate', ['redteam', 'generate', `${ID}@1.0.0`]],
  ])('%s refuses it naming where it runs and the restore for a committed deletion', async (_name, args) => {
    const r = await runCliInProcess(args, { cwd: deletedByCommit() });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`error: ${ID}@1.0.0 is active in development but its file was deleted (${FILE})`);
    expect(r.stderr).toContain(`\`git checkout <commit>^ -- ${FILE}\` brings it back`);
    expect(r.output).not.toMatch(/does not exist|did you mean/);
  });

  it('show, diff, compare --no-eval and report use the registered content and its stored runs, saying the file was deleted', async () => {
    const cwd = deletedByCommit();
    const deleted = (shown: string) => `is registered (active in development) but its file ${FILE} was deleted: ${shown}; restore the file from git`;
    const show = await runCliInProcess(['show', `${ID}@1.0.0`], { cwd });
    expect(show.code, show.output).toBe(0);
    expect(show.stdout).toContain(`DELETED:     ${ID}@1.0.0 ${deleted('this is its registered content')}`);
    expect(show.stdout).toContain('--- system ---');
    const diff = await runCliInProcess(['diff', `${ID}@1.0.0`, `${ID}@1.1.0`], { cwd });
    expect(diff.code, diff.output).toBe(0);
    expect(diff.stdout.split('\n')[0]).toBe(`note: ${ID}@1.0.0 ${deleted('its registered content is compared')} (\`git log --all -- ${FILE}\` finds the commit that deleted it; \`git checkout <commit>^ -- ${FILE}\` brings it back)`);
    expect(diff.stdout).toContain(`+++ prompts/${ID}/1.1.0.yaml`);
    const compare = await runCliInProcess(['compare', `${ID}@1.0.0`, `${ID}@1.1.0`, '--no-eval'], { cwd });
    expect(compare.code, compare.output).toBe(0);
    const report = await runCliInProcess(['report', `${ID}@1.0.0`, `${ID}@1.1.0`, '--output', path.join(cwd, 'compare.html')], { cwd });
    expect(report.code, report.output).toBe(0);
  });

  it('a version neither registered nor a file is still "does not exist", its known versions in semver order', async () => {
    const cwd = deletedByCommit();
    for (const v of ['1.2.0', '1.10.0']) writeProjectFile(cwd, `prompts/${ID}/${v}.yaml`, readProjectFile(cwd, `prompts/${ID}/1.1.0.yaml`).replace('version: 1.1.0', `version: ${v}`));
    const r = await runCliInProcess(['report', `${ID}@1.0.9`, `${ID}@1.1.0`], { cwd });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`prompt version ${ID}@1.0.9 does not exist`);
    expect(r.stderr).toContain('known versions: 1.10.0, 1.2.0, 1.1.0.');
  });
});

/**
 * A suite file git tracks, deleted in the working tree (or its removal staged) and not committed,
 * stops eval, deploy and promote of its prompt (exit 2) with the command that restores it. Before,
 * the suite was simply left out: eval marked the version tested on the suites left, and deploy and
 * promote let it through without a word about the suite or the regression against it.
 */
describe('a suite file deleted and not committed', () => {
  const GOLDEN = `evalsets/${ID}/golden.yaml`;
  const env = { PROMPTCTL_ACTOR: 'script@example.com' };

  /** The quickstart on the simulator, committed, with 1.1.0 tested and deployed to staging. */
  function committedProject(): string {
    const dir = makeSimProject(sim.url);
    initRepo(dir);
    markTested(dir, `${ID}@1.1.0`);
    markReleased(dir, `${ID}@1.1.0`, 'staging');
    return dir;
  }

  const refused = (e: unknown) => {
    expect(e, 'refused').toBeInstanceOf(InputError);
    return e as InputError;
  };

  it.each([
    ['deleted from the working tree', (dir: string) => removeProjectFile(dir, GOLDEN), `git checkout -- ${GOLDEN}`],
    ['its removal staged', (dir: string) => git(dir, 'rm', '-q', GOLDEN), `git checkout HEAD -- ${GOLDEN}`],
  ])('%s: eval, deploy and promote exit 2 naming the file and its restore', async (_name, remove, restore) => {
    const dir = committedProject();
    remove(dir);
    const problem = `${GOLDEN} suite 'golden' of ${ID} was deleted in this checkout and the deletion is not committed: restore it (${restore}), or to retire the suite deliberately, list ${ID}/golden under retired_suites in .promptrc.yaml (a reviewed change) [suite/deleted]`;
    sim.resetStats();
    const runs = [
      runEval({ cwd: dir, env, refs: [`${ID}@1.1.0`] }),
      deploy({ cwd: dir, env, ref: `${ID}@1.1.0`, environment: 'production', reason: 'r', dryRun: true }),
      promote({ cwd: dir, env, id: ID, from: 'staging', to: 'production', reason: 'r', dryRun: true }),
    ];
    for (const run of runs) {
      const e = refused(await run.then(() => undefined, (x: unknown) => x));
      expect(e.exitCode).toBe(2);
      expect(e.message).toBe(`a suite file of ${ID} was deleted in this checkout and not committed`);
      expect(e.problems.map((p) => formatProblem(p))).toEqual([problem]);
    }
    expect(sim.stats().chatCompletions).toBe(0);
  });

  it('a suite retired in .promptrc.yaml may go', async () => {
    const dir = committedProject();
    patchConfig(dir, (c) => (c.retired_suites = [`${ID}/golden`]));
    removeProjectFile(dir, GOLDEN);
    expect((await runEval({ cwd: dir, env, refs: [`${ID}@1.1.0`] })).exitCode).toBe(0);
  });
});
