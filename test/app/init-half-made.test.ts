import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { init } from '../../src/app/init.js';
import { makeTempDir } from '../support/project.js';

/**
 * An init that fails part-way (here a file named `prompts` where the example's folder goes; a full
 * disk is the same path, exit 3) leaves nothing it made: before, the config and the suites stayed,
 * and a second init took them for the user's own project and copied no prompt.
 */
describe('init that fails part-way', () => {
  it('removes the files and folders it made, and keeps what was there', async () => {
    const root = path.join(makeTempDir(), 'proj');
    mkdirSync(root);
    writeFileSync(path.join(root, 'prompts'), 'not a folder');
    writeFileSync(path.join(root, 'notes.txt'), 'mine');
    await expect(init({ cwd: root, dir: '.' })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/prompts is a file, not a folder/) });
    expect(readdirSync(root).sort()).toEqual(['notes.txt', 'prompts']);
  });

});
