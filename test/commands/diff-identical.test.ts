import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * `diff` of two versions whose content differs only in the version number (a copy not yet edited)
 * says they are identical, in text and in `--json`, rather than printing a patch with no change.
 */

afterAll(() => cleanupTempDirs());

describe('diff of a copy that only renumbers its source', () => {
  it('says identical content, and --json has identical: true', async () => {
    const dir = makeProject({ prefix: 'promptctl-diff-identical-' });
    const source = readProjectFile(dir, 'prompts/support-answer/1.1.0.yaml');
    writeProjectFile(dir, 'prompts/support-answer/1.1.1.yaml', source.replace(/^version: 1\.1\.0$/m, 'version: 1.1.1'));

    const text = await runCliInProcess(['diff', 'support-answer@1.1.0', 'support-answer@1.1.1'], { cwd: dir });
    expect(text.code, text.output).toBe(0);
    expect(text.stdout.trim()).toBe('support-answer@1.1.0 and @1.1.1 have identical content');

    const json = JSON.parse((await runCliInProcess(['diff', 'support-answer', '1.1.0', '1.1.1', '--json'], { cwd: dir })).stdout);
    expect(json.identical).toBe(true);
    expect(json.patch).not.toContain('@@');
  });

  it('a real change is still a patch', async () => {
    const dir = makeProject({ prefix: 'promptctl-diff-identical-' });
    const r = await runCliInProcess(['diff', 'support-answer', '1.0.0', '1.1.0', '--json'], { cwd: dir });
    expect(JSON.parse(r.stdout)).toMatchObject({ identical: false, patch: expect.stringContaining('@@') });
  });
});
