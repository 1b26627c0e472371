import { mkdirSync, renameSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, commitAll, git, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeTempDir, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * What ci finds changed does not depend on the user's git config: with `diff.relative=true` (a
 * setting of git 2.28 and later, in ~/.gitconfig or the clone's own config) git names changed files
 * relative to the folder it runs in, and a project in a subfolder of its repository (a monorepo's
 * `app/`) saw every change as outside it: "no prompt, eval set or config changed", exit 0.
 */

afterAll(() => cleanupTempDirs());

/** A repository whose project lives in `app/`, on a branch, with `diff.relative` set in the clone's config. */
function monorepo(): string {
  const top = makeTempDir('promptctl-ci-gitconfig-');
  const project = makeProject();
  mkdirSync(path.join(top, 'app'));
  for (const name of readdirSync(project)) renameSync(path.join(project, name), path.join(top, 'app', name));
  writeProjectFile(top, 'README.md', '# monorepo\n');
  initRepo(top, 'base');
  git(top, 'config', 'diff.relative', 'true');
  git(top, 'checkout', '-q', '-b', 'feature');
  return path.join(top, 'app');
}

describe('ci under diff.relative=true', () => {
  it('still sees a released version edited in a project in a subfolder: exit 2, never "nothing changed"', async () => {
    const dir = monorepo();
    const file = 'prompts/support-answer/1.1.0.yaml';
    writeProjectFile(dir, file, readProjectFile(dir, file).replace('Acme Cloud', 'Acme Cloud Inc.'));
    commitAll(dir, 'reword 1.1.0');
    const r = await cli(dir, 'ci', '--base', 'main', '--json');
    expect(r.code, r.output).toBe(2);
    const out = JSON.parse(r.stdout) as { verdict: string; plan: { editedVersions: string[]; nothingChanged: boolean } };
    expect(out.verdict).toBe('lint-failed');
    expect(out.plan).toMatchObject({ editedVersions: [file], nothingChanged: false });
  });
});
