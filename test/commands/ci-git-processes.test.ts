import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunResult } from '../support/cli.js';
import { countingGit } from '../support/counting-git.js';
import { branchOf, ci, ciRepoForFile, cli, commitAll, ID, newVersion } from '../support/ci-repo.js';

/**
 * How many git processes one `ci` starts. Each is a fork of a large Node process (several ms of
 * CPU from the CLI, ~20 ms from a test worker), and ci asked the same questions again and again:
 * the top folder 4 times, the base's commit and merge base twice (ci, then its eval's number
 * check), each folder on the way to a file at the base once per file name, the git email twice.
 * About 25 processes for a pull request adding a version; each question is now asked once per
 * command (infra/git-memo.ts), and related ones in one process.
 */

const repo = ciRepoForFile();

afterEach(() => vi.unstubAllEnvs());

/** On a branch adding version 1.2.0, the command `run` gives, and the git calls it made. */
async function gitCallsOf(branch: string, run: (dir: string) => Promise<RunResult>): Promise<{ r: RunResult; calls: string[] }> {
  const dir = branchOf(repo.base, branch);
  await newVersion(dir, 'Same answers, new wording.');
  commitAll(dir, '1.2.0');
  // git runs with this process's PATH (infra/git.ts gitEnv), the git email with the command's.
  const git = countingGit();
  const r = await run(dir);
  vi.unstubAllEnvs();
  return { r, calls: git.calls() };
}

describe('ci and git', () => {
  it.skipIf(process.platform === 'win32')('a pull request adding a version: ci (and the eval it runs) asks git with at most 12 processes', async () => {
    const { r, calls } = await gitCallsOf('git-count', (dir) => ci(dir));
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain(`${ID}@1.2.0`);
    // The top folder with the base's commit, the merge base, the base's config (its tree, its blob),
    // the changes (committed, untracked), the new version at the base's tip, the git email, eval's
    // deleted-suite check (working tree, staged), origin/HEAD for its number check, and the version
    // where the branch left the default branch (released there and edited since?): 12.
    expect(calls.length, calls.join('\n')).toBeLessThanOrEqual(12);
    expect(calls.filter((c) => c.startsWith('rev-parse --show-toplevel'))).toHaveLength(1);
  });

  it.skipIf(process.platform === 'win32')('an eval of a new draft outside ci asks git with at most 7 processes', async () => {
    const { r, calls } = await gitCallsOf('git-count-eval', (dir) => cli(dir, 'eval', `${ID}@1.2.0`));
    expect(r.code, r.output).toBe(0);
    // The git email, the deleted-suite check (working tree, staged), and the number check: the top
    // folder with origin/HEAD in one process, the default branch's commit, the merge base; and the
    // version where the branch left it (released there and edited since?).
    expect(calls.length, calls.join('\n')).toBeLessThanOrEqual(7);
    expect(calls.filter((c) => c.startsWith('rev-parse --show-toplevel'))).toHaveLength(1);
  });
});

describe('read commands and git', () => {
  // What the default branch released, then which numbers it took: the same questions (the top
  // folder, origin/HEAD, the default branch's commit, the merge base), asked once per command.
  for (const args of [['list'], ['show', `${ID}@1.2.0`], ['lint']]) {
    it.skipIf(process.platform === 'win32')(`${args[0]} asks git for the top folder once`, async () => {
      const { r, calls } = await gitCallsOf(`git-count-${args[0]}`, (dir) => cli(dir, ...args));
      expect(r.code, r.output).toBe(0);
      expect(calls.filter((c) => c.startsWith('rev-parse --show-toplevel')), calls.join('\n')).toHaveLength(1);
    });
  }

  // Whether the default branch holds a version is the tree's answer: no file's bytes are read for it
  // (list asks it of every version; none here was edited since, nor takes a number main holds).
  it.skipIf(process.platform === 'win32')('list reads no version file at the default branch to say which it holds', async () => {
    const { r, calls } = await gitCallsOf('git-count-list-blobs', (dir) => cli(dir, 'list'));
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/1\.1\.0\s+released/);
    expect(calls.filter((c) => c.startsWith('cat-file')), calls.join('\n')).toEqual([]);
  });
});
