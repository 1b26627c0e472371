import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliWith, commitAll, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject, makeTempDir, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * A branch that left main before another branch's 1.2.0 was merged has its own 1.2.0: deploying
 * it would release its content under a number main holds, and main's reviewed 1.2.0 would then read
 * as "edited after it was released" everywhere. deploy refuses it as `ci --base main` does.
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const FILE = `prompts/${ID}/1.2.0.yaml`;

function draft(dir: string, text: string): string {
  return readProjectFile(dir, `prompts/${ID}/1.1.0.yaml`).replace('version: 1.1.0', 'version: 1.2.0').replace('within 30 days', text);
}

describe('deploy of a version whose number the default branch holds with other content', () => {
  it('is refused with version/number-taken and the next free number, recording nothing; renamed as it says, it deploys; main deploys its own', async () => {
    const dir = makeProject();
    initRepo(dir);
    git(dir, 'branch', 'feat-b');
    // feat-a's 1.2.0, squash-merged to main.
    writeProjectFile(dir, FILE, draft(dir, 'within 45 days'));
    commitAll(dir, 'support-answer 1.2.0 (#1)');
    git(dir, 'checkout', '-q', 'feat-b');
    writeProjectFile(dir, FILE, draft(dir, 'within 90 days'));
    commitAll(dir, 'b: 1.2.0');

    const refused = await cli(dir, 'deploy', `${ID}@1.2.0`, '--env', 'development', '--reason', 'b');
    expect(refused.code, refused.output).toBe(2);
    expect(refused.stderr).toContain(`${ID}@1.2.0 cannot be deployed from this branch: its number is taken on main`);
    expect(refused.stderr).toContain(`${FILE}:1:1 ${ID}@1.2.0 is already on main, with other content (merged there, not deployed yet)`);
    expect(refused.stderr).toContain(`rename it to the next free number, ${ID}@1.3.0`);
    expect(refused.stderr).toContain('[version/number-taken]');
    expect((await cli(dir, 'history', ID)).stdout).not.toContain('1.2.0');

    // Renamed to the number named, it deploys from the branch (main's 1.2.0 stays as merged).
    git(dir, 'mv', FILE, `prompts/${ID}/1.3.0.yaml`);
    writeProjectFile(dir, `prompts/${ID}/1.3.0.yaml`, draft(dir, 'within 90 days').replace('version: 1.2.0', 'version: 1.3.0'));
    commitAll(dir, 'b: 1.3.0');
    expect((await cli(dir, 'deploy', `${ID}@1.3.0`, '--env', 'development', '--reason', 'b')).code).toBe(0);

    // On main, main's own 1.2.0 deploys.
    git(dir, 'checkout', '-q', 'main');
    const own = await cli(dir, 'deploy', `${ID}@1.2.0`, '--env', 'development', '--reason', 'main');
    expect(own.code, own.output).toBe(0);
  });
});

describe('deploy from a checkout behind the default branch', () => {
  it('refuses a draft whose number the fetched tip holds (HEAD is behind, not on it); on the tip, the tip\'s version edited is refused as edited after its release, and deploys as released', async () => {
    const upstream = makeProject();
    initRepo(upstream);
    const dir = path.join(makeTempDir(), 'clone');
    git(upstream, 'clone', '-q', upstream, dir);
    git(dir, 'config', 'user.email', 'dev@example.com');
    git(dir, 'config', 'user.name', 'Dev');
    // Upstream merges its 1.2.0; the clone fetches without pulling (main behind origin/main by 1).
    writeProjectFile(upstream, FILE, draft(upstream, 'within 45 days'));
    commitAll(upstream, 'support-answer 1.2.0 (#1)');
    git(dir, 'fetch', '-q');
    writeProjectFile(dir, FILE, draft(dir, 'within 90 days'));

    const refused = await cli(dir, 'deploy', `${ID}@1.2.0`, '--env', 'development', '--reason', 'stale');
    expect(refused.code, refused.output).toBe(2);
    expect(refused.stderr).toContain(`${ID}@1.2.0 cannot be deployed from this branch: its number is taken on origin/main`);
    expect(refused.stderr).toContain('[version/number-taken]');

    // Pulled, HEAD is on the tip: the tip's 1.2.0 is released (it is on the default branch,
    // PRODUCT.md), so an edit of it is refused as ci refuses it, naming the restore; as released, it deploys.
    git(dir, 'checkout', '-q', '--', '.');
    git(dir, 'clean', '-qfd', 'prompts');
    git(dir, 'merge', '-q', '--ff-only', 'origin/main');
    writeProjectFile(dir, FILE, draft(dir, 'within 60 days'));
    const edited = await cli(dir, 'deploy', `${ID}@1.2.0`, '--env', 'development', '--reason', 'on the tip');
    expect(edited.code, edited.output).toBe(2);
    expect(edited.stderr).toContain(`error: ${ID}@1.2.0 was edited after it was released (it is on origin/main)`);
    expect(edited.stderr).toMatch(/\[version\/edited\]/);
    expect(edited.stderr).toContain(`git checkout origin/main -- ${FILE}`);
    expect((await cli(dir, 'history', ID)).stdout).not.toContain('1.2.0');
    git(dir, 'checkout', '-q', '--', FILE);
    const own = await cli(dir, 'deploy', `${ID}@1.2.0`, '--env', 'development', '--reason', 'on the tip');
    expect(own.code, own.output).toBe(0);
  });
});

describe('the default branch is trunk, neither main nor master', () => {
  it('origin/HEAD names it in a clone; in a CI checkout without origin/HEAD, the CI service names it (the rule ci falls back to)', async () => {
    const upstream = makeProject();
    initRepo(upstream);
    git(upstream, 'branch', '-m', 'main', 'trunk');
    const dir = path.join(makeTempDir(), 'clone');
    git(upstream, 'clone', '-q', upstream, dir);
    git(dir, 'config', 'user.email', 'dev@example.com');
    git(dir, 'config', 'user.name', 'Dev');
    // A feature branch with no local trunk, as a CI job checks one out; trunk merges its 1.2.0 meanwhile.
    git(dir, 'checkout', '-q', '-b', 'feat');
    git(dir, 'branch', '-q', '-D', 'trunk');
    writeProjectFile(upstream, FILE, draft(upstream, 'within 45 days'));
    commitAll(upstream, 'support-answer 1.2.0 (#1)');
    git(dir, 'fetch', '-q');
    writeProjectFile(dir, FILE, draft(dir, 'within 90 days'));
    commitAll(dir, 'feat: 1.2.0');

    const byOriginHead = await cli(dir, 'deploy', `${ID}@1.2.0`, '--env', 'development', '--reason', 'feat');
    expect(byOriginHead.code, byOriginHead.output).toBe(2);
    expect(byOriginHead.stderr).toContain(`${ID}@1.2.0 cannot be deployed from this branch: its number is taken on origin/trunk`);

    // GitLab's fetch-based checkout records no origin/HEAD: CI_DEFAULT_BRANCH names trunk.
    git(dir, 'remote', 'set-head', 'origin', '-d');
    const byService = await cliWith(dir, { GITLAB_CI: 'true', CI_DEFAULT_BRANCH: 'trunk', CI_COMMIT_BRANCH: 'feat' }, 'deploy', `${ID}@1.2.0`, '--env', 'development', '--reason', 'feat', '--actor', 'ci@example.com');
    expect(byService.code, byService.output).toBe(2);
    expect(byService.stderr).toContain(`${ID}@1.2.0 cannot be deployed from this branch: its number is taken on origin/trunk`);
    expect((await cli(dir, 'history', ID)).stdout).not.toContain('1.2.0');
  });
});

describe('a number the default branch holds that this branch may deploy', () => {
  it('the same content as the tip (merged there from this branch) deploys; a version that was there when the branch left, edited here, is refused as ci refuses it', async () => {
    const dir = makeProject();
    initRepo(dir);
    // main's 1.2.0: already there when feat left main (released by being on main).
    writeProjectFile(dir, FILE, draft(dir, 'within 45 days'));
    commitAll(dir, 'support-answer 1.2.0');
    git(dir, 'branch', 'feat');
    // feat's 1.3.0, squash-merged to main: main's tip holds the same content feat does.
    const same = draft(dir, 'within 60 days').replace('version: 1.2.0', 'version: 1.3.0');
    writeProjectFile(dir, `prompts/${ID}/1.3.0.yaml`, same);
    commitAll(dir, 'support-answer 1.3.0 (#2)');
    git(dir, 'checkout', '-q', 'feat');
    writeProjectFile(dir, `prompts/${ID}/1.3.0.yaml`, same);
    // feat also edits main's draft 1.2.0 (the tip still holds the 45 days).
    writeProjectFile(dir, FILE, draft(dir, 'within 90 days'));
    commitAll(dir, 'feat: 1.3.0, 1.2.0 edited');

    const added = await cli(dir, 'deploy', `${ID}@1.3.0`, '--env', 'development', '--reason', 'same content as main');
    expect(added.code, added.output).toBe(0);
    // main's 1.2.0 is released (it was on main when feat left it): feat's edit is refused, as `ci --base main` refuses it.
    const edited = await cli(dir, 'deploy', `${ID}@1.2.0`, '--env', 'development', '--reason', 'a version from before the branch');
    expect(edited.code, edited.output).toBe(2);
    expect(edited.stderr).toContain(`error: ${ID}@1.2.0 was edited after it was released (it is on main)`);
  });
});
