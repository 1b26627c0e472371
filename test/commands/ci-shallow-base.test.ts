import { cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, cliWith, commitAll, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject, makeTempDir, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * ci in a shallow clone, where git finds no merge base: the pull request's merge commit (GitHub's
 * refs/pull/N/merge at depth 1) still diffs exactly, through its first parent; a shallow branch
 * checkout is exit 2 saying so, never the base branch's changes blamed on the pull request.
 */

afterAll(() => cleanupTempDirs());

const copyOf = (dir: string, from: string, to: string) =>
  writeProjectFile(dir, `prompts/${to}/1.0.0.yaml`, readProjectFile(dir, `prompts/${from}/1.0.0.yaml`).replace(/^id: .*$/m, `id: ${to}`));

/**
 * An origin where `feature` adds prompt `extra` and, after the branch left it, main added prompt
 * `news`; refs/pull/1/merge is feature merged into main, as GitHub makes it.
 */
function origin(): string {
  const work = makeProject();
  initRepo(work, 'base');
  git(work, 'checkout', '-q', '-b', 'feature');
  copyOf(work, 'support-answer', 'extra');
  commitAll(work, 'extra');
  git(work, 'checkout', '-q', 'main');
  copyOf(work, 'support-answer', 'news');
  commitAll(work, 'news');
  git(work, 'checkout', '-q', '-b', 'merge', 'main');
  git(work, 'merge', '-q', '--no-ff', '--no-edit', 'feature');
  git(work, 'update-ref', 'refs/pull/1/merge', 'HEAD');
  git(work, 'checkout', '-q', 'main');
  return work;
}

/**
 * The origin and each kind of shallow checkout of it are made once for the file (git processes are
 * what these tests cost): the origin is only fetched from, and each test gets a copy of its checkout.
 */
let work: string;
beforeAll(() => {
  work = origin();
});
const checkouts = new Map<string, string>();

/** A depth-1 checkout of `ref` of the origin, with main fetched (at depth 1 unless `mainDepth`) as origin/main. */
function shallowCheckout(ref: string, mainDepth = 1): string {
  const key = `${ref} ${mainDepth}`;
  let made = checkouts.get(key);
  if (!made) {
    made = path.join(makeTempDir(), 'ci');
    git(path.dirname(made), 'init', '-q', made);
    git(made, 'fetch', '-q', '--depth', '1', `file://${work}`, `+${ref}:refs/remotes/checked-out`);
    git(made, 'checkout', '-q', '--detach', 'refs/remotes/checked-out');
    git(made, 'fetch', '-q', '--depth', String(mainDepth), `file://${work}`, '+refs/heads/main:refs/remotes/origin/main');
    checkouts.set(key, made);
  }
  const dir = path.join(makeTempDir(), 'ci');
  cpSync(made, dir, { recursive: true });
  expect(git(dir, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
  return dir;
}

interface CiJson {
  plan: { lintFiles: string[]; deleted: Array<{ file: string }> };
  notEvaluated: Array<{ ref: string }>;
}

describe('ci without a merge base', () => {
  it.each([
    ["a pull request's merge commit at depth 1: its first parent is the base tip", 'refs/pull/1/merge', 1],
    ['a branch commit at depth 1 whose first parent is on the fetched base history', 'refs/heads/feature', 5],
  ])('%s: diffs with that parent, so only the pull request\'s changes', async (_, ref, mainDepth) => {
    const dir = shallowCheckout(ref as string, mainDepth as number);
    const r = await cli(dir, 'ci', '--base', 'origin/main', '--json');
    // extra has no suite: not evaluated (exit 1), so no server is needed.
    expect(r.code, r.output).toBe(1);
    const out = JSON.parse(r.stdout) as CiJson;
    expect(out.plan.lintFiles).toEqual(['prompts/extra/1.0.0.yaml']);
    expect(out.plan.deleted).toEqual([]);
    expect(out.notEvaluated.map((e) => e.ref)).toEqual(['extra@1.0.0']);
  });

  it('a shallow branch checkout is exit 2 naming the missing merge base and how to fetch it, never news "deleted" by the branch', async () => {
    const dir = shallowCheckout('refs/heads/feature');
    const r = await cli(dir, 'ci', '--base', 'origin/main');
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('error: no merge base between origin/main and HEAD (a shallow clone)');
    expect(r.stderr).toMatch(/^hint: fetch the whole history \(git fetch --unshallow\), then run ci again\.$/m);
    expect(r.output).not.toContain('news');
  });

  it.each([
    ['GitHub Actions', { GITHUB_ACTIONS: 'true' }, 'actions/checkout with fetch-depth: 0'],
    ['GitLab', { GITLAB_CI: 'true' }, 'GIT_DEPTH: 0'],
    ['Azure Pipelines', { TF_BUILD: 'True' }, 'fetchDepth: 0 on the checkout step'],
    ['Bitbucket', { BITBUCKET_BUILD_NUMBER: '7' }, 'clone: depth: full'],
    ['Jenkins', { JENKINS_URL: 'http://jenkins/' }, 'git fetch --unshallow'],
  ])('on %s the missing history is fetched as that service fetches it', async (_, env, how) => {
    const dir = shallowCheckout('refs/heads/feature');
    const r = await cliWith(dir, { CI: 'true', ...env }, 'ci', '--base', 'origin/main');
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('error: no merge base between origin/main and HEAD (a shallow clone)');
    const hint = /^hint: (.*)$/m.exec(r.stderr)?.[1] ?? '';
    expect(hint).toContain(how);
    // Only the service the job runs on.
    for (const other of ['fetch-depth: 0', 'GIT_DEPTH', 'fetchDepth', 'depth: full'].filter((o) => !how.includes(o))) expect(hint).not.toContain(other);
  });
});

describe('--base HEAD~1 (what ci suggests for the last commit) in a shallow clone', () => {
  it('says the history stops before it and how to fetch more, never an invalid `git fetch origin HEAD~1:…` nor origin/HEAD~1', async () => {
    const dir = shallowCheckout('refs/heads/feature');
    const r = await cliWith(dir, { GITHUB_ACTIONS: 'true' }, 'ci', '--base', 'HEAD~1');
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('error: --base HEAD~1 is not a commit this clone holds\n');
    expect(r.stderr).toContain("HEAD~1 counts back through the history of HEAD, and this clone's history stops before that commit");
    expect(r.stderr).toMatch(/^hint: fetch the whole history \(actions\/checkout with fetch-depth: 0\), or enough of it \(git fetch --deepen=<n>\), then run ci again; or pass another --base <ref>\.$/m);
    expect(r.output).not.toMatch(/git fetch origin HEAD|origin\/HEAD~1/);
  });
});
