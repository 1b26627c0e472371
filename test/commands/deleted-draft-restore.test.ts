import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { show } from '../../src/app/index.js';
import { cli, initRepo } from '../support/ci-repo.js';
import { cleanupTempDirs, makeProject, readProjectFile } from '../support/project.js';
import { registerFiles } from '../support/registry-cli.js';

/**
 * A registered draft (evaluated, never deployed) whose file git never had is deleted: the registry
 * holds its registered content, not a released one. Every hint names `show <ref> --registered`,
 * which prints that content as a version file, and status notes the deleted file. Before, the hints
 * named `show <ref> --released`, which refuses a draft ("was never deployed").
 */

afterAll(() => cleanupTempDirs());

const ID = 'support-answer';
const REF = `${ID}@2.0.0`;
const FILE = `prompts/${ID}/2.0.0.yaml`;
const RESTORE = `\`promptctl show ${REF} --registered\` prints the content the registry holds for this draft (never deployed) as a version file; save that as ${FILE}`;

/** The quickstart in git with 2.0.0 made by `new --major` (never committed), registered as its eval does, then its file deleted. */
async function deletedDraft(): Promise<{ dir: string; content: string }> {
  const dir = makeProject();
  initRepo(dir);
  const made = await cli(dir, 'new', ID, '--major', '--description', 'try');
  expect(made.code, made.output).toBe(0);
  registerFiles(dir, REF);
  const content = readProjectFile(dir, FILE);
  rmSync(path.join(dir, FILE));
  return { dir, content };
}

describe('a registered draft whose file git never had is deleted', () => {
  it('new, show and show --released name show --registered, status notes the file, and the hint restores it', async () => {
    const { dir, content } = await deletedDraft();
    const refused = await cli(dir, 'new', REF);
    expect(refused.code, refused.output).toBe(2);
    expect(refused.stderr).toContain(`restore the file (git has no copy of it: ${RESTORE}), then run this again`);
    expect((await cli(dir, 'show', REF)).stdout).toContain(`restore the file (git has no copy of it: ${RESTORE})`);
    const released = await cli(dir, 'show', REF, '--released');
    expect(released.code, released.output).toBe(2);
    expect(released.stderr).toContain(`its file is gone: promptctl show ${REF} --registered prints the content the registry holds for this draft as a version file.`);
    const status = await cli(dir, 'status');
    expect(status.stdout).toContain('2.0.0 draft (file deleted)');

    // `promptctl show <ref> --registered > <file>`: the shell empties the file first.
    writeFileSync(path.join(dir, FILE), '');
    const registered = await cli(dir, 'show', REF, '--registered');
    expect(registered.code, registered.output).toBe(0);
    writeFileSync(path.join(dir, FILE), registered.stdout);
    expect(existsSync(path.join(dir, FILE))).toBe(true);
    const shown = await show({ cwd: dir, env: {}, ref: REF });
    expect(shown.fileDeleted).toBeUndefined();
    expect(shown.registeredHash).toBe(shown.contentHash);
    expect(readProjectFile(dir, FILE)).toContain('description: try');
    expect(content).toContain('description: try');
    expect((await cli(dir, 'status')).stdout).not.toContain('(file deleted)');
  });

  it('show --registered of a draft never registered is refused, naming the option', async () => {
    const dir = makeProject();
    const e = await show({ cwd: dir, env: {}, ref: `${ID}@1.0.0`, registered: true }).then(
      () => undefined,
      (err: { message: string; why?: string; exitCode?: number }) => err,
    );
    expect(e?.exitCode).toBe(2);
    expect(e?.message).toBe(`${ID}@1.0.0 is not registered, so the registry holds no content for it`);
    expect(e?.why).toContain('registered: true returns the content the registry holds for a version');
  });
});
