import { cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliWith, commitAll, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject, makeTempDir, writeProjectFile } from '../support/project.js';

/**
 * Issue 14 §5: `ci` with the default base `main` in a clone that has only `origin/main` (what CI
 * checkouts and `git clone` + a branch give) compares with `origin/main`; an unknown base is still
 * exit 2, and the message names --base only when the user passed it.
 */

afterAll(() => cleanupTempDirs());

/**
 * A clone of a repository of the example project, on a branch, with no local main: made once for
 * the file (git processes are what these tests cost), each test gets a copy of the clone, whose
 * origin (never written to: tests only fetch from it) stays the one repository.
 */
let template: string;
beforeAll(() => {
  const origin = makeProject();
  initRepo(origin, 'base');
  template = path.join(makeTempDir(), 'clone');
  git(path.dirname(template), 'clone', '-q', origin, template);
  git(template, 'checkout', '-q', '-b', 'feature');
  git(template, 'branch', '-q', '-D', 'main');
  // A commit of the branch's own: a branch still at origin/main's commit has no change to gate (exit 2).
  writeProjectFile(template, 'NOTES.md', 'notes\n');
  commitAll(template, 'notes');
});

function cloneWithoutLocalMain(): string {
  const clone = path.join(makeTempDir(), 'clone');
  cpSync(template, clone, { recursive: true });
  return clone;
}

describe('ci and the base branch', () => {
  it('falls back to origin/main when main exists only on the remote', async () => {
    const dir = cloneWithoutLocalMain();
    const r = await cli(dir, 'ci', '--json');
    expect(r.code, r.output).toBe(0);
    expect((JSON.parse(r.stdout) as { base: string; verdict: string }).base).toBe('origin/main');
    // A change on the branch is seen against origin/main.
    writeProjectFile(dir, 'evalsets/support-answer/golden.yaml', '# edited\n' + 'x: [');
    const lint = await cli(dir, 'ci', '--json');
    expect(lint.code, lint.output).toBe(2);
    expect((JSON.parse(lint.stdout) as { base: string }).base).toBe('origin/main');
  });

  it('compares with the branch origin/HEAD names when the default branch is neither main nor master', async () => {
    const origin = makeProject();
    initRepo(origin, 'base');
    git(origin, 'branch', '-m', 'main', 'trunk');
    const dir = path.join(makeTempDir(), 'clone');
    git(path.dirname(dir), 'clone', '-q', origin, dir);
    git(dir, 'checkout', '-q', '-b', 'feature');
    writeProjectFile(dir, 'NOTES.md', 'notes\n');
    commitAll(dir, 'notes');
    const r = await cli(dir, 'ci', '--json');
    expect(r.code, r.output).toBe(0);
    expect((JSON.parse(r.stdout) as { base: string }).base).toBe('origin/trunk');
  });

  it('--base main takes the same fallback', async () => {
    const r = await cli(cloneWithoutLocalMain(), 'ci', '--base', 'main', '--json');
    expect(r.code, r.output).toBe(0);
    expect((JSON.parse(r.stdout) as { base: string }).base).toBe('origin/main');
  });

  it('a base git does not know is exit 2; the message names --base only when it was passed', async () => {
    const dir = cloneWithoutLocalMain();
    const given = await cli(dir, 'ci', '--base', 'release-9');
    expect(given.code).toBe(2);
    expect(given.stderr).toContain('error: --base release-9 is not a commit git knows, nor is origin/release-9');
    // Stopped before lint ran: no "lint: 0 error(s) … in 0 file(s)" line, which read as a clean lint (the Markdown says none either).
    expect(given.output).not.toMatch(/^lint: /m);
    git(dir, 'update-ref', '-d', 'refs/remotes/origin/main');
    const byDefault = await cli(dir, 'ci');
    expect(byDefault.code).toBe(2);
    expect(byDefault.stderr).toContain('error: the default base main (no CI variable names a target branch or a commit before a push) is not a commit git knows, nor is origin/main');
    expect(byDefault.stderr).toContain('hint: fetch it first: git fetch origin main:refs/remotes/origin/main; or pass --base <ref>.');
    expect(byDefault.stderr).not.toContain('--base main');
  });
});

describe('the fetch an unknown --base suggests, followed', () => {
  /** The hint's command, run as a user would paste it (no shell: its words, split on spaces). */
  /**
   * `ci --base <base>` is exit 2 with `hint` (and `error` when given); the fetch its hint names is
   * run; then `ci --base <base>` passes. Returns the base the passing run compared with.
   */
  async function refusedUntilFetched(dir: string, base: string, said: { hint: string; error?: string; fetch: RegExp }): Promise<string> {
    const r = await cli(dir, 'ci', '--base', base);
    expect(r.code, r.output).toBe(2);
    if (said.error) expect(r.stderr).toContain(said.error);
    expect(r.stderr).toContain(said.hint);
    const line = said.fetch.exec(r.stderr)?.[0];
    expect(line, r.stderr).toBeDefined();
    git(dir, ...line!.split(' ').slice(1));
    const again = await cli(dir, 'ci', '--base', base, '--json');
    expect(again.code, again.output).toBe(0);
    return (JSON.parse(again.stdout) as { base: string }).base;
  }

  it('<remote>/<branch> of another remote the clone has: fetched from that remote, then ci compares with it', async () => {
    const dir = cloneWithoutLocalMain();
    // A fork's clone: upstream holds the history origin's branch was made from.
    const upstream = path.join(makeTempDir(), 'upstream');
    git(path.dirname(upstream), 'clone', '-q', git(dir, 'remote', 'get-url', 'origin').trim(), upstream);
    git(dir, 'remote', 'add', 'upstream', upstream);
    const hint = 'hint: fetch it first: git fetch upstream main:refs/remotes/upstream/main; or pass another --base <ref>.';
    expect(await refusedUntilFetched(dir, 'upstream/main', { hint, fetch: /git fetch upstream \S+/ })).toBe('upstream/main');
  });

  it('refs/heads/<branch> is the branch: origin/main stands in for it, and without it the fetch that brings it', async () => {
    const dir = cloneWithoutLocalMain();
    const r = await cli(dir, 'ci', '--base', 'refs/heads/main', '--json');
    expect(r.code, r.output).toBe(0);
    expect((JSON.parse(r.stdout) as { base: string }).base).toBe('origin/main');
    git(dir, 'update-ref', '-d', 'refs/remotes/origin/main');
    await refusedUntilFetched(dir, 'refs/heads/main', {
      error: 'error: --base refs/heads/main is not a commit git knows, nor is origin/main',
      hint: 'hint: fetch it first: git fetch origin main:refs/remotes/origin/main; or pass another --base <ref>.',
      fetch: /git fetch origin \S+/,
    });
  });

  it('refs/remotes/<remote>/<branch>: fetched from that remote, then ci compares with it', async () => {
    const dir = cloneWithoutLocalMain();
    git(dir, 'update-ref', '-d', 'refs/remotes/origin/main');
    const base = await refusedUntilFetched(dir, 'refs/remotes/origin/main', {
      error: 'error: --base refs/remotes/origin/main is not a commit git knows\n',
      hint: 'hint: fetch it first: git fetch origin main:refs/remotes/origin/main; or pass another --base <ref>.',
      fetch: /git fetch origin \S+/,
    });
    expect(base).toBe('refs/remotes/origin/main');
  });

  it("a release tag the clone lacks (CI's clones fetch no tags): fetched as a tag, then ci compares with it", async () => {
    const origin = makeProject();
    initRepo(origin, 'base');
    git(origin, 'tag', '-a', 'v1.0.0', '-m', 'first release');
    const dir = path.join(makeTempDir(), 'clone');
    git(path.dirname(dir), 'clone', '-q', '--no-tags', origin, dir);
    git(dir, 'checkout', '-q', '-b', 'feature');
    writeProjectFile(dir, 'NOTES.md', 'notes\n');
    commitAll(dir, 'notes');
    const hint = 'hint: fetch it first: git fetch origin tag v1.0.0 (a branch: git fetch origin v1.0.0:refs/remotes/origin/v1.0.0); or pass another --base <ref>.';
    expect(await refusedUntilFetched(dir, 'v1.0.0', { hint, fetch: /git fetch origin tag \S+/ })).toBe('v1.0.0');
  });
});

describe('an empty --base (a CI variable that was not set)', () => {
  it.each([
    ['--base "" (a Jenkins job\'s first build: no GIT_PREVIOUS_SUCCESSFUL_COMMIT)', '', { JENKINS_URL: 'http://jenkins/' }, 'error: --base is empty\n', 'GIT_PREVIOUS_SUCCESSFUL_COMMIT'],
    ['--base origin/ (GitLab outside a merge request pipeline)', 'origin/', { GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push' }, 'error: --base names no branch after origin/\n', 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME'],
  ])('%s is exit 2 naming the variable, never a fetch of nothing', async (_, given, env, error, variable) => {
    const dir = cloneWithoutLocalMain();
    const r = await cliWith(dir, { CI: 'true', ...env }, 'ci', '--base', given, '--junit', 'j.xml');
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(error);
    expect(r.stderr).toMatch(new RegExp(`^why: the CI variable meant to name the base is unset or empty in this job: ${variable}`, 'm'));
    expect(r.stderr).not.toMatch(/git fetch|refs\/remotes\/origin\/[:;\s]/);
    // The JUnit says so too, as for any error that stops ci.
    expect(readFileSync(path.join(dir, 'j.xml'), 'utf8')).toContain(error.replace('error: ', '').trim());
  });
});

describe('ci outside a git repository', () => {
  it('is exit 2 saying ci needs the repository, with git reason and what to do', async () => {
    const dir = makeProject();
    const r = await cli(dir, 'ci');
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`error: promptctl ci needs the project's git repository, and git found none at ${dir}\n`);
    expect(r.stderr).toMatch(/^why: fatal: not a git repository/m);
    expect(r.stderr).toMatch(/^hint: run ci in a git checkout of the project/m);
  });
});

describe('--base given a range (main..feature, as git log takes it)', () => {
  it.each([
    ['main..feature', 'pass --base main, with feature checked out (ci gates what is checked out, with its uncommitted changes).'],
    ['origin/main...HEAD', 'pass --base origin/main.'],
  ])('--base %s is exit 2 saying --base takes one ref, and suggests the range\'s start, never a fetch', async (given, hint) => {
    const dir = cloneWithoutLocalMain();
    const r = await cli(dir, 'ci', '--base', given, '--junit', 'j.xml');
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`error: --base ${given} is a range of commits: --base takes one ref (a branch, tag or commit)\n`);
    expect(r.stderr).toContain(`hint: ${hint}\n`);
    expect(r.stderr).not.toMatch(/git fetch|not a commit/);
    expect(readFileSync(path.join(dir, 'j.xml'), 'utf8')).toContain('--base takes one ref');
  });
});
