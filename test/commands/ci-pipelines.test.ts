import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJsonOutput } from '../support/cli.js';
import { makeTempDir, readProjectFile, writeProjectFile } from '../support/project.js';
import { ACTOR, branchOf, cliWith, commitAll, errorText, expectExit, git, ID, ciRepoForFile, newVersion, readJUnit, suiteNamed } from '../support/ci-repo.js';

/**
 * `ci`'s base in the pipelines that are not a GitHub pull request: GitLab's merged results, a
 * push to the base branch, a schedule, Jenkins' CHANGE_TARGET. The variables are CI's own; the
 * choice itself is table-tested in test/core/ci-base-choice.test.ts.
 */

const repo = ciRepoForFile();
const head = (dir: string, rev = 'HEAD') => git(dir, 'rev-parse', rev).trim();
interface CiJson { base: string; verdict: string; exitCode: number; plan: { evaluate: Array<{ ref: string }> }; error?: { message: string } }
const evaluated = (out: CiJson) => out.plan.evaluate.map((e) => e.ref);

/** main at 1.2.0 merged from a branch (--no-ff), the commit before the merge returned. */
async function mergedOnMain(name: string): Promise<{ dir: string; before: string }> {
  const dir = branchOf(repo.base, name);
  await newVersion(dir, 'Same answers, new wording.');
  commitAll(dir, '1.2.0');
  git(dir, 'checkout', '-q', 'main');
  const before = head(dir);
  git(dir, 'merge', '-q', '--no-ff', name, '-m', `Merge ${name}`);
  return { dir, before };
}

describe('ci in merge-request and pull-request pipelines', () => {
  it("GitLab merged results: compares with the target tip the result was built on, not the older diff base", async () => {
    const { dir, before: diffBase } = await mergedOnMain('mr-a');
    // MR B branched before MR A merged: it adds 1.1.1; GitLab checks out B merged into main's tip.
    git(dir, 'checkout', '-q', '-b', 'mr-b', diffBase);
    await expectExit(dir, 0, 'new', `${ID}@1.1.0`, '--patch', '--description', 'B');
    commitAll(dir, '1.1.1');
    const target = head(dir, 'main');
    git(dir, 'checkout', '-q', '--detach', 'main');
    git(dir, 'merge', '-q', '--no-ff', 'mr-b', '-m', 'merged result');
    const env = { CI: 'true', GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main', CI_MERGE_REQUEST_DIFF_BASE_SHA: diffBase, CI_MERGE_REQUEST_TARGET_BRANCH_SHA: target };
    const out = parseJsonOutput<CiJson>(await cliWith(dir, env, 'ci', '--json'));
    expect(out.base).toBe(target);
    // Not main's 1.2.0, which MR A brought: only what MR B adds.
    expect(evaluated(out)).toEqual([`${ID}@1.1.1`]);
  });

  it('Jenkins: CHANGE_TARGET names the target branch (gitflow: a pull request into develop)', async () => {
    const dir = branchOf(repo.base, 'develop');
    await newVersion(dir, 'On develop.');
    commitAll(dir, '1.2.0 on develop');
    git(dir, 'checkout', '-q', '-b', 'PR-7');
    await expectExit(dir, 0, 'new', ID, '--minor', '--description', 'The pull request.');
    commitAll(dir, '1.3.0');
    const out = parseJsonOutput<CiJson>(await cliWith(dir, { CI: undefined, JENKINS_URL: 'http://jenkins/', CHANGE_ID: '7', CHANGE_TARGET: 'develop' }, 'ci', '--json'));
    expect(out.base).toBe('develop');
    expect(evaluated(out)).toEqual([`${ID}@1.3.0`]);
  });

  it("Buildkite: BUILDKITE_PULL_REQUEST_BASE_BRANCH names the target branch (a hotfix into release/1.x), as Bitbucket's and Azure's variables do", async () => {
    const dir = branchOf(repo.base, 'release-work');
    git(dir, 'checkout', '-q', '-b', 'release/1.x');
    await expectExit(dir, 0, 'new', `${ID}@1.1.0`, '--patch', '--description', 'On the release branch.');
    commitAll(dir, '1.1.1 on release/1.x');
    git(dir, 'checkout', '-q', '-b', 'hotfix');
    await expectExit(dir, 0, 'new', `${ID}@1.1.1`, '--patch', '--description', 'The hotfix.');
    commitAll(dir, '1.1.2');
    git(dir, 'checkout', '-q', '--detach', 'hotfix');
    const buildkite = { CI: 'true', BUILDKITE: 'true', BUILDKITE_PULL_REQUEST: '5', BUILDKITE_PULL_REQUEST_BASE_BRANCH: 'release/1.x', BUILDKITE_BRANCH: 'hotfix' };
    const bitbucket = { CI: 'true', BITBUCKET_BUILD_NUMBER: '5', BITBUCKET_PR_DESTINATION_BRANCH: 'release/1.x' };
    for (const env of [buildkite, bitbucket]) {
      const out = parseJsonOutput<CiJson>(await cliWith(dir, env, 'ci', '--json'));
      expect(out.base).toBe('release/1.x');
      // Not release/1.x's own 1.1.1: only what the hotfix adds.
      expect(evaluated(out)).toEqual([`${ID}@1.1.2`]);
    }
    // 1.1.1 is on the target branch: an edit of it is refused, not taken for a new version's draft.
    writeProjectFile(dir, `prompts/${ID}/1.1.1.yaml`, readProjectFile(dir, `prompts/${ID}/1.1.1.yaml`).replace('On the release branch.', 'Edited.'));
    const edited = await cliWith(dir, buildkite, 'ci');
    expect(edited.code, edited.output).toBe(2);
    expect(edited.stdout).toContain(`${ID}@1.1.1 was edited after it was released (it is on release/1.x)`);
  });
});

describe('ci on a push', () => {
  it("GitHub: the push event's before is the base, so the merged version is gated", async () => {
    const { dir, before } = await mergedOnMain('feat');
    const event = path.join(makeTempDir('promptctl-event-'), 'event.json');
    writeFileSync(event, JSON.stringify({ before, after: head(dir), ref: 'refs/heads/main', repository: { default_branch: 'main' } }));
    const env = { CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_BASE_REF: '', GITHUB_REF: 'refs/heads/main', GITHUB_EVENT_PATH: event };
    const out = parseJsonOutput<CiJson>(await cliWith(dir, env, 'ci', '--json'));
    expect(out.base).toBe(before);
    expect(evaluated(out)).toEqual([`${ID}@1.2.0`]);
  });

  it("a push to a feature branch compares with the default branch, not the branch's previous push: its version is gated on every push", async () => {
    const dir = branchOf(repo.base, 'feat-pushes');
    await newVersion(dir, 'Same answers, new wording.');
    commitAll(dir, '1.2.0');
    const first = head(dir);
    writeFileSync(path.join(dir, 'NOTES.md'), 'unrelated\n');
    commitAll(dir, 'notes only');
    const event = path.join(makeTempDir('promptctl-event-'), 'event.json');
    writeFileSync(event, JSON.stringify({ before: first, after: head(dir), ref: 'refs/heads/feat-pushes', repository: { default_branch: 'main' } }));
    const github = { CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'push', GITHUB_BASE_REF: '', GITHUB_REF: 'refs/heads/feat-pushes', GITHUB_EVENT_PATH: event };
    const gitlab = { CI: 'true', GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BEFORE_SHA: first, CI_COMMIT_BRANCH: 'feat-pushes', CI_DEFAULT_BRANCH: 'main' };
    for (const env of [github, gitlab]) {
      const out = parseJsonOutput<CiJson>(await cliWith(dir, env, 'ci', '--json'));
      expect(out.base).toMatch(/^(origin\/)?main$/);
      expect(evaluated(out)).toEqual([`${ID}@1.2.0`]);
    }
  });

  it('without the commit before the push, HEAD on main is exit 2 saying there is no change to gate, in the text, the summary and JUnit', async () => {
    const { dir } = await mergedOnMain('feat-2');
    const env = { CI: 'true', GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push' };
    const r = await cliWith(dir, env, 'ci', '--junit', 'j.xml', '--summary', 's.md');
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('error: HEAD is already on main: there is no change to gate\n');
    expect(r.stderr).toMatch(/^hint: gate what the push brought: promptctl ci --base "\$CI_COMMIT_BEFORE_SHA"/m);
    expect(r.stdout).not.toMatch(/no prompt, eval set or config changed/);
    const summary = readFileSync(path.join(dir, 's.md'), 'utf8');
    expect(summary).toMatch(/^## .*bad input \(exit 2\)/m);
    expect(summary).toContain('HEAD is already on main: there is no change to gate');
    // An error, never zero tests: a test view shows that nothing was checked.
    const stop = suiteNamed(readJUnit(dir), 'ci');
    expect(stop.errors).toBe(1);
    expect(errorText(stop.testcase[0]!)).toContain('HEAD is already on main: there is no change to gate');
  });

  it("a push whose CI_COMMIT_BEFORE_SHA is all zeros is told there is no commit before it, not to pass that variable; --base 0000… the same", async () => {
    const { dir } = await mergedOnMain('feat-zeros');
    const zeros = '0'.repeat(40);
    const env = { CI: 'true', GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main', CI_COMMIT_BEFORE_SHA: zeros };
    const r = await cliWith(dir, env, 'ci');
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('error: HEAD is already on main: there is no change to gate\n');
    expect(r.stderr).toMatch(/^why: this is a push pipeline whose CI_COMMIT_BEFORE_SHA is all zeros: no commit came before this push/m);
    expect(r.stderr).toMatch(/^hint: name the commit to compare with: promptctl ci --base <ref>/m);
    expect(r.stderr).not.toContain('"$CI_COMMIT_BEFORE_SHA"');
    const given = await cliWith(dir, env, 'ci', '--base', zeros);
    expect(given.code, given.output).toBe(2);
    expect(given.stderr).toContain(`error: --base ${zeros} names no commit: it is all zeros\n`);
    expect(given.stderr).not.toMatch(/git fetch|fetch the whole history/);
  });
});

describe('a version number the base took after the branch left it', () => {
  it('says the number is taken on the base and names the next free one, not "edited after it was released"', async () => {
    const dir = branchOf(repo.base, 'late');
    await newVersion(dir, 'The branch wrote this 1.2.0.');
    commitAll(dir, '1.2.0 on the branch');
    // Meanwhile main released its own 1.2.0.
    git(dir, 'checkout', '-q', 'main');
    await newVersion(dir, 'Main released this 1.2.0.');
    commitAll(dir, '1.2.0 on main');
    await expectExit(dir, 0, 'eval', `${ID}@1.2.0`);
    await expectExit(dir, 0, 'deploy', `${ID}@1.2.0`, '--env', 'staging', '--actor', ACTOR);
    git(dir, 'checkout', '-q', 'late');
    const r = await cliWith(dir, {}, 'ci', '--base', 'main');
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toContain(`${ID}@1.2.0 is already on main, released with other content (deployed to staging): this branch adds a new version under a number that is taken; rename it to the next free number, ${ID}@1.3.0`);
    expect(r.stdout).not.toContain('is not on main yet');
  });

  it("merged on the base but never deployed: another branch's new version under that number is refused as taken, not revised over it", async () => {
    const file = `prompts/${ID}/1.2.0.yaml`;
    const dir = branchOf(repo.base, 'mr-one');
    const before = head(dir);
    await newVersion(dir, 'Merge request one wrote this 1.2.0.');
    commitAll(dir, '1.2.0 of mr-one');
    await expectExit(dir, 0, 'ci', '--base', 'main');
    const registered = async () => (JSON.parse((await expectExit(dir, 0, 'show', `${ID}@1.2.0`, '--json')).stdout) as { registeredHash: string }).registeredHash;
    const ones = await registered();
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'merge', '-q', '--no-ff', 'mr-one', '-m', 'Merge mr-one');
    // mr-two left main before mr-one merged, and wrote its own 1.2.0.
    git(dir, 'checkout', '-q', '-b', 'mr-two', before);
    writeProjectFile(dir, file, git(dir, 'show', `mr-one:${file}`).replace('Merge request one wrote this', 'Merge request two wrote this'));
    commitAll(dir, '1.2.0 of mr-two');
    const r = await cliWith(dir, {}, 'ci', '--base', 'main');
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toContain(`${ID}@1.2.0 is already on main, with other content (merged there, not deployed yet): this branch adds a new version under a number that is taken; rename it to the next free number, ${ID}@1.3.0`);
    expect(r.stdout).not.toMatch(/revised/);
    expect(await registered()).toBe(ones);
    // The same content as main's: the branch caught up with it, which is no revision and no refusal.
    writeProjectFile(dir, file, git(dir, 'show', `main:${file}`));
    const same = await cliWith(dir, {}, 'ci', '--base', 'main', '--json');
    expect(same.code, same.output).toBe(0);
    expect(parseJsonOutput<{ revised: unknown[] }>(same).revised).toEqual([]);
    expect(await registered()).toBe(ones);
  });

  it("a version file that is a link: the base tip's file is read through its link, so the same content is no taken number", async () => {
    const file = `prompts/${ID}/1.2.0.yaml`;
    const dir = branchOf(repo.base, 'linked');
    const before = head(dir);
    await newVersion(dir, 'Kept in shared/ and linked.');
    // The version's text lives in shared/, and its file is a link to it (as some teams keep them).
    writeProjectFile(dir, 'shared/v120.yaml', readProjectFile(dir, file));
    rmSync(path.join(dir, file));
    symlinkSync('../../shared/v120.yaml', path.join(dir, file));
    commitAll(dir, '1.2.0 as a link');
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'merge', '-q', '--no-ff', 'linked', '-m', 'Merge linked');
    // A branch that left main before the merge brings the same link and text.
    git(dir, 'checkout', '-q', '-b', 'linked-too', before);
    git(dir, 'checkout', '-q', 'linked', '--', 'shared/v120.yaml', file);
    commitAll(dir, 'the same 1.2.0');
    const r = await cliWith(dir, {}, 'ci', '--base', 'main');
    expect(r.output).not.toMatch(/number that is taken|number-taken/);
    expect(r.code, r.output).toBe(0);
  });

  it("a base tip whose file under that number does not load (a value canonical JSON refuses): the number is taken, exit 2, not a crash", async () => {
    const file = `prompts/${ID}/1.2.0.yaml`;
    const dir = branchOf(repo.base, 'odd-base');
    const before = head(dir);
    await newVersion(dir, 'The branch wrote this 1.2.0.');
    const branchText = readProjectFile(dir, file);
    git(dir, 'checkout', '-q', 'main');
    writeProjectFile(dir, file, `${branchText.replace('The branch wrote this 1.2.0.', 'Main wrote this 1.2.0.')}x_limit: .inf\n`);
    commitAll(dir, 'an odd 1.2.0 on main');
    git(dir, 'checkout', '-q', '-b', 'odd-branch', before);
    writeProjectFile(dir, file, branchText);
    commitAll(dir, '1.2.0 of the branch');
    const r = await cliWith(dir, {}, 'ci', '--base', 'main');
    expect(r.output).not.toMatch(/hit a bug/);
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toContain(`${ID}@1.2.0 is already on main, with other content (merged there, not deployed yet)`);
  });

  it("GitLab's diff base (or a pull request into another branch): a number the default branch took is refused before ci registers anything", async () => {
    const file = `prompts/${ID}/1.2.0.yaml`;
    const dir = branchOf(repo.base, 'gl-late');
    const diffBase = head(dir);
    await newVersion(dir, 'The branch wrote this 1.2.0.');
    commitAll(dir, '1.2.0 of the branch');
    // Meanwhile main merged its own 1.2.0, and main's pipeline registered it (a draft).
    git(dir, 'checkout', '-q', 'main');
    writeProjectFile(dir, file, git(dir, 'show', `gl-late:${file}`).replace('The branch wrote this', 'Main wrote this'));
    commitAll(dir, '1.2.0 on main');
    await expectExit(dir, 0, 'eval', `${ID}@1.2.0`);
    const registered = async () => (JSON.parse((await expectExit(dir, 0, 'show', `${ID}@1.2.0`, '--json')).stdout) as { registeredHash: string }).registeredHash;
    const events = async () => (await expectExit(dir, 0, 'history', '--json')).stdout;
    const [mains, before] = [await registered(), await events()];
    git(dir, 'checkout', '-q', 'gl-late');
    // A merge-request pipeline without merged results: the base is the diff base, where the branch left main.
    const env = { CI: 'true', GITLAB_CI: 'true', CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main', CI_MERGE_REQUEST_DIFF_BASE_SHA: diffBase, CI_DEFAULT_BRANCH: 'main' };
    const r = await cliWith(dir, env, 'ci', '--json');
    expect(r.code, r.output).toBe(2);
    const out = parseJsonOutput<CiJson & { revised: unknown[]; lint: { problems: Array<{ rule: string; message: string }> } }>(r);
    expect(out.base).toBe(diffBase);
    expect(out.revised).toEqual([]);
    expect(out.lint.problems).toContainEqual(expect.objectContaining({ rule: 'version/number-taken', message: expect.stringContaining(`${ID}@1.2.0 is already on main, with other content (merged there, not deployed yet)`) }));
    // Nothing written: main's draft keeps its content, and no supersede event was appended.
    expect(await registered()).toBe(mains);
    expect(await events()).toBe(before);
  });
});
