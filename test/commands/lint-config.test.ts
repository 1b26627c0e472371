import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * `.promptrc.yaml` is one of the files lint checks (its schema, `retired_suites`), as ci counts it
 * among the files it linted: `lint .promptrc.yaml` printed `0 files checked` even beside a warning
 * in it, and a whole-project lint left it out of its count.
 */

afterAll(() => cleanupTempDirs());

// The quickstart: 2 prompt versions and 2 suites, plus the config.
describe('lint counts the config among the files it checks', () => {
  it.for([
    { paths: [], files: 5 },
    { paths: ['.promptrc.yaml'], files: 1 },
    { paths: ['./.promptrc.yaml', 'prompts'], files: 3 },
    { paths: ['prompts'], files: 2 },
    { paths: ['evalsets/support-answer/golden.yaml'], files: 1 },
  ])('lint $paths: $files file(s)', async ({ paths, files }) => {
    const r = await runCliInProcess(['lint', '--json', ...paths], { cwd: makeProject() });
    expect(r.code, r.output).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ files, errors: 0, warnings: 0, problems: [] });
  });

  it('lint .promptrc.yaml reports the problem in it and counts the file it is in', async () => {
    const dir = makeProject();
    writeProjectFile(dir, '.promptrc.yaml', `${readProjectFile(dir, '.promptrc.yaml')}retired_suites:\n  - support-answer/golden\n`);
    const r = await runCliInProcess(['lint', '.promptrc.yaml'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/^\.promptrc\.yaml:\d+:\d+ warning retired_suites\.0: .*\[suite\/retired-idle\]$/m);
    expect(r.stdout).toContain('1 file checked: 0 errors, 1 warning');
  });
});
