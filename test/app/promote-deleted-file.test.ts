import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploy, promote } from '../../src/app/index.js';
import { runCliInProcess } from '../support/cli.js';
import { commitAll, git, initRepo } from '../support/ci-repo.js';
import { makeProject, readProjectFile, removeProjectFile, writeProjectFile } from '../support/project.js';
import { markReleased, markTested } from '../support/registry-cli.js';

/**
 * Promoting (or deploying) a version whose file was deleted says that it runs somewhere and its
 * file is gone, with how to restore it; before, it said the version "does not exist" and suggested
 * another version the user never typed.
 */

const ID = 'support-answer';

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
