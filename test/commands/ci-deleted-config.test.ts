import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject, makeTempDir, writeProjectFile } from '../support/project.js';

/**
 * A pull request that deletes the project's .promptrc.yaml is told so, with the restore: the base
 * has the file. "Run promptctl init" is for a folder that never was a project.
 */

afterAll(() => cleanupTempDirs());

function branch(): string {
  const dir = makeProject();
  initRepo(dir, 'base');
  git(dir, 'checkout', '-q', '-b', 'feature');
  return dir;
}

describe('ci and a deleted .promptrc.yaml', () => {
  it('deleted by the branch: exit 2, the deletion and its restore named, no `promptctl init`', async () => {
    const dir = branch();
    git(dir, 'rm', '-q', '.promptrc.yaml');
    git(dir, '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'drop the config');
    const r = await cli(dir, 'ci', '--base', 'main');
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain('this change deletes .promptrc.yaml: main has it, this checkout does not');
    expect(r.output).toContain('git checkout main -- .promptrc.yaml');
    expect(r.output).not.toContain('promptctl init');
  });

  it('run from a folder of the project: the restore names the file from there', async () => {
    const dir = branch();
    git(dir, 'rm', '-q', '.promptrc.yaml');
    const r = await cli(path.join(dir, 'prompts'), 'ci', '--base', 'main');
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain('this change deletes ../.promptrc.yaml: main has it');
    expect(r.output).toContain('git checkout main -- ../.promptrc.yaml');
  });

  it('a repository whose base never had one still hears `promptctl init`', async () => {
    const dir = makeTempDir();
    writeProjectFile(dir, 'README.md', '# not a project\n');
    initRepo(dir, 'base');
    git(dir, 'checkout', '-q', '-b', 'feature');
    const r = await cli(dir, 'ci', '--base', 'main');
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain('promptctl init');
  });
});
