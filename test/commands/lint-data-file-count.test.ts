import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';

/**
 * A suite's data file is checked row by row and counted as a checked file, clean or not. A clean
 * `lint data/golden.csv` said "0 files checked" (1 with a bad row), and plain `lint` counted the
 * data file only when it had a problem.
 */

afterAll(() => cleanupTempDirs());

describe('a clean cases_from file', () => {
  const dir = makeProject();
  writeProjectFile(dir, 'evalsets/support-answer/rows.yaml', ['prompt: support-answer', 'kind: golden', 'cases_from:', '  file: data/golden.csv', '  vars: { question: q }', '  expect:', '    - contains: x', ''].join('\n'));
  writeProjectFile(dir, 'data/golden.csv', 'id,q\na,first\nb,second\n');

  it('lint of the data file counts it', async () => {
    const r = await runCliInProcess(['lint', 'data/golden.csv'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain('1 file checked: 0 errors, 0 warnings');
  });

  it('lint of the project counts it beside the config, the versions and the suites', async () => {
    const r = await runCliInProcess(['lint'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    // .promptrc.yaml, two versions, three suites, the data file.
    expect(r.stdout).toContain('7 files checked: 0 errors, 0 warnings');
  });
});
