import { describe, expect, it } from 'vitest';
import { deploy, promote } from '../../src/app/index.js';
import { makeProject, readProjectFile, removeProjectFile, writeProjectFile } from '../support/project.js';
import { markReleased } from '../support/registry-cli.js';

/**
 * Promoting (or deploying) a version whose file was deleted says that it runs somewhere and its
 * file is gone, with how to restore it; before, it said the version "does not exist" and suggested
 * another version the user never typed.
 */

const ID = 'support-answer';

describe('a deployed version whose file was deleted', () => {
  it.each([
    ['promote --dry-run', (cwd: string) => promote({ cwd, env: {}, id: ID, from: 'development', to: 'staging', dryRun: true })],
    ['deploy', (cwd: string) => deploy({ cwd, env: {}, ref: `${ID}@1.0.0`, environment: 'staging', actor: 'a@example.com' })],
  ])('%s names where it runs and how to restore the file', async (_name, run) => {
    const cwd = makeProject();
    markReleased(cwd, `${ID}@1.0.0`);
    // A draft 1.2.0 is the nearest spelling: it must not be suggested.
    writeProjectFile(cwd, `prompts/${ID}/1.2.0.yaml`, readProjectFile(cwd, `prompts/${ID}/1.1.0.yaml`).replace(/^version: 1\.1\.0$/m, 'version: 1.2.0'));
    removeProjectFile(cwd, `prompts/${ID}/1.0.0.yaml`);
    const error = await run(cwd).then(
      () => undefined,
      (e: unknown) => e as { message: string; hint: string; exitCode: number },
    );
    expect(error?.message).toBe(`${ID}@1.0.0 is active in development but its file was deleted (prompts/${ID}/1.0.0.yaml)`);
    expect(error?.exitCode).toBe(2);
    expect(error?.hint).toContain(`\`git log --all -- prompts/${ID}/1.0.0.yaml\``);
    expect(error?.hint).toContain(`\`promptctl get ${ID} --env development\` serves its registered content`);
    expect(error?.hint).not.toContain('1.2.0');
  });
});
