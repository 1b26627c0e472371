import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';

/**
 * Every command works from any folder below the project, so the git commands its hints print to
 * restore a file name it from there: `git checkout main -- prompts/…` run in evalsets/ failed
 * ("pathspec did not match"). Each printed command is run where it was printed, and must work.
 */

afterAll(() => cleanupTempDirs());

const FILE = 'prompts/support-answer/1.1.0.yaml';
const HERE = '../prompts/support-answer/1.1.0.yaml';

function edit(dir: string): void {
  const file = path.join(dir, FILE);
  writeFileSync(file, readFileSync(file, 'utf8').replace('30 days', '31 days'));
}

/** The `git …` command after `marker` in `text`, run in `cwd`: it must bring the file back. */
function runPrinted(text: string, marker: RegExp, cwd: string): string {
  const m = text.match(marker);
  expect(m, text).not.toBeNull();
  const args = m![1]!.split(' ');
  git(cwd, ...args.slice(1));
  return m![1]!;
}

describe('a restore command printed in a subfolder of the project', () => {
  it('lint: a version the default branch released, edited on a branch (git checkout main -- …)', async () => {
    const dir = makeProject();
    initRepo(dir);
    git(dir, 'checkout', '-q', '-b', 'feat');
    edit(dir);
    const evalsets = path.join(dir, 'evalsets');
    const r = await cli(evalsets, 'lint');
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain(`then restore ${FILE}: git checkout main -- ${HERE} [version/edited]`);
    expect(runPrinted(r.output, /then restore \S+: (git checkout main -- \S+) \[/, evalsets)).toBe(`git checkout main -- ${HERE}`);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('status, show and eval: a deployed version edited (git checkout -- …) or its deletion staged (git checkout HEAD -- …)', async () => {
    const dir = makeProject();
    initRepo(dir);
    expect((await cli(dir, 'deploy', 'support-answer@1.1.0', '--env', 'development', '--actor', 'a@b.c', '--reason', 'r')).code).toBe(0);
    const evalsets = path.join(dir, 'evalsets');
    edit(dir);
    for (const args of [['status'], ['show', 'support-answer@1.1.0'], ['eval', 'support-answer@1.1.0']]) {
      const r = await cli(evalsets, ...args);
      expect(r.output, args[0]).toContain(`then restore ${FILE}: git checkout -- ${HERE}`);
    }
    runPrinted((await cli(evalsets, 'status')).output, /then restore \S+: (git checkout -- \S+)/, evalsets);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    git(dir, 'rm', '-q', FILE);
    for (const args of [['status'], ['show', 'support-answer@1.1.0'], ['eval', 'support-answer@1.1.0'], ['lint']]) {
      const r = await cli(evalsets, ...args);
      expect(r.output, args[0]).toContain(`git checkout HEAD -- ${HERE}`);
    }
    runPrinted((await cli(evalsets, 'show', 'support-answer@1.1.0')).output, /\((git checkout HEAD -- \S+)\)/, evalsets);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('at the project root, the commands name the file as before', async () => {
    const dir = makeProject();
    initRepo(dir);
    git(dir, 'checkout', '-q', '-b', 'feat');
    edit(dir);
    const r = await cli(dir, 'lint');
    expect(r.output).toContain(`then restore ${FILE}: git checkout main -- ${FILE} [version/edited]`);
  });
});
