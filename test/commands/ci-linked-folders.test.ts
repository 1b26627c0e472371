import { cpSync, mkdirSync, renameSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, commitAll, git, initRepo } from '../support/ci-repo.js';
import { QUICKSTART } from '../support/cli.js';
import { cleanupTempDirs, makeTempDir, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * A team keeps `prompts/` (or `evalsets/`) once, linked into each app's project. git reports and
 * stores a change under the link's target, so ci follows the link: before, it saw "nothing
 * changed" and passed a pull request that edited a released version (platforms hunt #1).
 */

afterAll(() => cleanupTempDirs());

const RELEASED = 'prompts/support-answer/1.1.0.yaml';

/** repo/app is the project; its prompts/ is a link to repo/shared/prompts; committed on main, then a branch. */
function linkedRepo(): { repo: string; app: string } {
  const repo = makeTempDir('promptctl-ci-linked-');
  const app = path.join(repo, 'app');
  cpSync(QUICKSTART, app, { recursive: true });
  mkdirSync(path.join(repo, 'shared'));
  renameSync(path.join(app, 'prompts'), path.join(repo, 'shared', 'prompts'));
  symlinkSync('../shared/prompts', path.join(app, 'prompts'));
  initRepo(repo, 'base');
  git(repo, 'checkout', '-q', '-b', 'pr');
  return { repo, app };
}

describe('ci through a symbolic link in the repository', () => {
  it('sees an edit of a released version made through the link (exit 2), and a comment-only edit as the same content', async () => {
    const { repo, app } = linkedRepo();
    writeProjectFile(app, RELEASED, `# reviewed\n${readProjectFile(app, RELEASED)}`);
    commitAll(repo, 'comment');
    const comment = await cli(app, 'ci', '--base', 'main', '--json');
    expect(comment.code, comment.output).toBe(0);
    expect(JSON.parse(comment.stdout).plan.lintFiles).toContain(RELEASED);

    writeProjectFile(app, RELEASED, readProjectFile(app, RELEASED).replace('within 30 days', 'within 90 days'));
    commitAll(repo, 'edit');
    const edited = await cli(app, 'ci', '--base', 'main', '--json');
    expect(edited.code, edited.output).toBe(2);
    expect(edited.stdout).toContain('edited after it was released');
  });

  it('refuses (exit 2) a layout folder linked outside the repository, naming it', async () => {
    const { repo, app } = linkedRepo();
    const outside = makeTempDir('promptctl-ci-outside-');
    renameSync(path.join(app, 'evalsets'), path.join(outside, 'evalsets'));
    symlinkSync(path.join(outside, 'evalsets'), path.join(app, 'evalsets'));
    commitAll(repo, 'evalsets elsewhere');
    const r = await cli(app, 'ci', '--base', 'main');
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain('evalsets leads through a symbolic link to');
    expect(r.stderr).toContain('outside the git repository');
  });
});
