import { describe, expect } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { git, initRepo } from '../support/ci-repo.js';
import { it } from '../support/fixtures.js';
import { removeProjectFile } from '../support/project.js';

/**
 * `status` says when an environment serves a version whose file this checkout deleted: it still
 * serves (the registered content), but it can no longer be rebuilt from git, as lint and ci say.
 * A file this branch never had (a version deployed from another branch) is not called deleted.
 */

const FILE = 'prompts/support-answer/1.0.0.yaml';

describe('status and a deleted version file', () => {
  it('names the deleted file of an active version, in text and --json', async ({ project: dir }) => {
    initRepo(dir);
    expect((await runCliInProcess(['deploy', 'support-answer@1.0.0', '--env', 'development', '--actor', 'rm'], { cwd: dir })).code).toBe(0);
    removeProjectFile(dir, FILE);
    const text = await runCliInProcess(['status'], { cwd: dir });
    expect(text.code, text.output).toBe(0);
    expect(text.stdout).toContain(`file deleted: support-answer@1.0.0 is active in development, but this checkout deleted ${FILE}`);
    git(dir, 'rm', '-q', '--cached', FILE);
    git(dir, '-c', 'user.email=a@b', '-c', 'user.name=a', 'commit', '-qm', 'drop 1.0.0');
    const json = await runCliInProcess(['status', '--json'], { cwd: dir });
    const row = (JSON.parse(json.stdout) as { rows: Array<{ env: string; fileDeleted?: string }> }).rows.find((r) => r.env === 'development');
    expect(row?.fileDeleted).toBe(FILE);
  });

  it('says nothing of a file this checkout never had', async ({ project: dir }) => {
    expect((await runCliInProcess(['deploy', 'support-answer@1.0.0', '--env', 'development', '--actor', 'rm'], { cwd: dir })).code).toBe(0);
    removeProjectFile(dir, FILE); // no git history: not known as deleted
    const text = await runCliInProcess(['status'], { cwd: dir });
    expect(text.code, text.output).toBe(0);
    expect(text.stdout).not.toContain('file deleted');
  });
});
