import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { commitAll, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { editVersionFile, markReleased, markTested, projectRegistryPath, registryFingerprint } from '../support/registry-cli.js';

/**
 * lint and list against the registry, read-only: a released (deployed) version whose file was
 * edited is an error (not only in ci), a draft's edit is not; files hidden by schema errors make list exit 2 and say where; and
 * neither command creates or writes a registry.
 */

afterAll(() => cleanupTempDirs());

const V1 = 'prompts/support-answer/1.0.0.yaml';

function editedProject(): string {
  const dir = makeProject();
  markTested(dir, 'support-answer@1.0.0');
  markReleased(dir, 'support-answer@1.0.0');
  editVersionFile(dir, 'support-answer@1.0.0');
  return dir;
}

describe('lint and list see edited released versions', () => {
  it.each([
    ['lint', ['lint']],
    ['lint <file>', ['lint', V1]],
    ['lint --json', ['lint', '--json']],
    ['list', ['list']],
    ['list --json', ['list', '--json']],
  ])('%s: exit 2 naming the file, the field and `promptctl new`; registry untouched', async (_name, args) => {
    const dir = editedProject();
    const before = registryFingerprint(dir);
    const r = await runCliInProcess(args, { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toContain(V1);
    expect(r.stdout).toContain('description');
    expect(r.stdout).toContain('promptctl new support-answer');
    expect(registryFingerprint(dir)).toBe(before);
  });

  it('lint of another file, or of a project without a registry, is unaffected and creates no registry', async () => {
    const dir = editedProject();
    const other = await runCliInProcess(['lint', 'prompts/support-answer/1.1.0.yaml'], { cwd: dir });
    expect(other.code, other.output).toBe(0);
    const fresh = makeProject();
    const r = await runCliInProcess(['lint'], { cwd: fresh });
    expect(r.code, r.output).toBe(0);
    const l = await runCliInProcess(['list'], { cwd: fresh });
    expect(l.code, l.output).toBe(0);
    expect(existsSync(projectRegistryPath(fresh))).toBe(false);
  });

  it('list flags the edited version in its line and in JSON', async () => {
    const dir = editedProject();
    const r = await runCliInProcess(['list'], { cwd: dir });
    expect(r.stdout).toMatch(/1\.0\.0 released \(EDITED after release\)/);
    expect(r.stdout).toMatch(/1\.1\.0 draft/);
    const data = JSON.parse((await runCliInProcess(['list', '--json'], { cwd: dir })).stdout);
    expect(data.prompts[0].edited).toEqual(['1.0.0']);
    expect(data.prompts[0].states).toEqual({ '1.1.0': 'draft', '1.0.0': 'released' });
  });

  it('a registered draft (evaluated, never deployed) may be edited: lint and list say draft, exit 0', async () => {
    const dir = makeProject();
    markTested(dir, 'support-answer@1.0.0');
    editVersionFile(dir, 'support-answer@1.0.0');
    for (const args of [['lint'], ['list']]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code, r.output).toBe(0);
      expect(r.stdout).not.toMatch(/edited after/i);
    }
    expect((await runCliInProcess(['list'], { cwd: dir })).stdout).toMatch(/1\.0\.0 draft/);
  });
});

describe('list with files hidden by errors', () => {
  it('prints where the problems are and exits 2', async () => {
    const dir = makeProject();
    const file = path.join(dir, 'prompts/support-answer/1.1.0.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^version: .*$/m, 'version: [not, a, version]'));
    const r = await runCliInProcess(['list'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toMatch(/prompts\/support-answer\/1\.1\.0\.yaml:\d+:\d+/);
    expect(r.stdout).toContain('promptctl lint');
  });
});

describe('lint paths', () => {
  it.each([
    ['a file outside the project', () => '/etc/passwd', /outside the project: \/etc\/passwd/],
    ['a missing file', () => 'prompts/nope.yaml', /no such file or folder: prompts\/nope\.yaml/],
  ])('%s', async (_name, target, message) => {
    const dir = makeProject();
    const r = await runCliInProcess(['lint', target()], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toMatch(message);
    if (target() === '/etc/passwd') expect(r.stderr).not.toMatch(/no such file/);
  });
});

describe('lint sees a deployed version whose file this checkout deleted, as ci does', () => {
  /** A project in git with 1.0.0 deployed to staging and production and 1.1.0 to staging after it. */
  function deployedRepo(): string {
    const dir = makeProject();
    initRepo(dir, 'base');
    markReleased(dir, 'support-answer@1.0.0', 'staging');
    markReleased(dir, 'support-answer@1.0.0', 'production');
    markReleased(dir, 'support-answer@1.1.0', 'staging');
    return dir;
  }

  it('deleted in the working tree, staged or by a commit: exit 2 naming the file and where it runs (not where it ran before); registry untouched', async () => {
    const dir = deployedRepo();
    rmSync(path.join(dir, V1));
    const before = registryFingerprint(dir);
    const r = await runCliInProcess(['lint'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    // Each with the exact restore status names for how git knows the file deleted.
    expect(r.stdout).toContain(`${V1} error support-answer@1.0.0 is active in production but its file was deleted: every deployed version must be rebuildable from git; restore the file: git checkout -- ${V1} [version/deleted-deployed]`);
    expect((await runCliInProcess(['lint', 'prompts'], { cwd: dir })).code).toBe(2);
    git(dir, 'add', '-A'); // the deletion staged
    expect((await runCliInProcess(['lint'], { cwd: dir })).stdout).toContain(`support-answer@1.0.0 is active in production but its file was deleted: every deployed version must be rebuildable from git; restore the file: git checkout HEAD -- ${V1} [`);
    commitAll(dir, 'retire 1.0.0');
    expect((await runCliInProcess(['lint'], { cwd: dir })).stdout).toContain(`support-answer@1.0.0 is active in production but its file was deleted: every deployed version must be rebuildable from git; restore the file: \`git log --all -- ${V1}\` finds the commit that deleted it; \`git checkout <commit>^ -- ${V1}\` brings it back [`);
    expect(registryFingerprint(dir)).toBe(before);
  });

  it('a version deployed from another branch, whose file this checkout never had, is not called deleted', async () => {
    const dir = deployedRepo();
    markReleased(dir, 'support-answer@1.1.0', 'production');
    // 1.1.0's file is not in this branch: committed away before it was ever deployed from here.
    const other = makeProject();
    initRepo(other, 'base', { commit: false });
    rmSync(path.join(other, 'prompts/support-answer/1.1.0.yaml'));
    rmSync(path.join(other, 'evalsets'), { recursive: true, force: true });
    commitAll(other, 'main without 1.1.0');
    rmSync(path.join(other, '.promptctl'), { recursive: true, force: true });
    cpSync(path.join(dir, '.promptctl'), path.join(other, '.promptctl'), { recursive: true });
    const r = await runCliInProcess(['lint'], { cwd: other });
    expect(r.stdout).not.toMatch(/deleted-deployed/);
  });

  it('a deployed version kept as .yml and deleted is named by its .yml file', async () => {
    const dir = deployedRepo();
    const yml = V1.replace(/\.yaml$/, '.yml');
    git(dir, 'mv', V1, yml);
    commitAll(dir, '1.0.0 as .yml');
    rmSync(path.join(dir, yml));
    const r = await runCliInProcess(['lint'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toContain(`${yml} error support-answer@1.0.0 is active in production but its file was deleted`);
  });

  it('a file that is there but does not load is its own problem, not a deleted one', async () => {
    const dir = deployedRepo();
    writeFileSync(path.join(dir, V1), 'id: [broken\n');
    const r = await runCliInProcess(['lint'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).not.toMatch(/deleted-deployed/);
  });
});
