import { renameSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { shellWord } from '../../src/core/shell-word.js';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';

/**
 * A command printed in a hint is one a person copies into a shell: a path with a space (or a
 * quote) in it is quoted, so `mv /tmp/my proj/.promptrc.yml …` does not run as `mv` of three files.
 */

afterAll(() => cleanupTempDirs());

describe('shellWord', () => {
  it.each([
    ['prompts/support-answer/1.1.0.yaml', 'prompts/support-answer/1.1.0.yaml'],
    ['../prompts/a/1.0.0.yaml', '../prompts/a/1.0.0.yaml'],
    ['/tmp/my proj/.promptrc.yml', "'/tmp/my proj/.promptrc.yml'"],
    ["it's", `'it'\\''s'`],
    ['a=b', 'a=b'],
    ['=b', "'=b'"],
    ['$HOME', "'$HOME'"],
    ['', "''"],
  ])('%j as %s', (text, word) => {
    expect(shellWord(text)).toBe(word);
  });
});

describe('hints naming an absolute path', () => {
  it('quote the paths of the mv that renames a misnamed config', async () => {
    const dir = makeProject({ prefix: 'my proj' });
    renameSync(path.join(dir, '.promptrc.yaml'), path.join(dir, '.promptrc.yml'));
    const r = await runCliInProcess(['status'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`hint: rename it: mv '${path.join(dir, '.promptrc.yml')}' '${path.join(dir, '.promptrc.yaml')}'`);
  });

  it('quote the folder of the mkdir -p for an output in a folder that does not exist', async () => {
    const dir = makeProject({ prefix: 'my proj' });
    const r = await runCliInProcess(['export', '--env', 'production', '-o', 'out dir/bundle.json'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`create it first (mkdir -p '${path.join(dir, 'out dir')}')`);
  });
});
