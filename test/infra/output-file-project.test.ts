import { readFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { appendOutputFile, checkOutputPath, writeOutputFile } from '../../src/infra/output-file.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';

/**
 * No output path may replace a file the project keeps: a suite's `cases_from` data file (however
 * it is spelt, through a link too) or any file of prompts/ and evalsets/. Before, only SQLite and
 * YAML files were refused, and `--summary data/golden.csv` turned a golden set into Markdown
 * (platforms hunt #3). A report that exists already is still replaced.
 */

afterAll(() => cleanupTempDirs());

const CSV = 'id,question\nr1,Hours?\n';

function project(): string {
  const dir = makeProject();
  writeProjectFile(dir, 'data/golden.csv', CSV);
  writeProjectFile(dir, 'evalsets/support-answer/golden-set.yaml', 'prompt: support-answer\nversions: ">=1.1.0"\nkind: golden\nthreshold: 0.9\ncases_from:\n  file: ./data/golden.csv\n  expect:\n    - icontains: "9"\n');
  writeProjectFile(dir, 'evalsets/support-answer/notes.txt', 'keep\n');
  writeProjectFile(dir, 'report.md', 'old report\n');
  symlinkSync('data', path.join(dir, 'linked'));
  return dir;
}

describe('output paths never replace a project file', () => {
  const dir = project();
  it.each([
    ['data/golden.csv', /it is the data file of the suite evalsets\/support-answer\/golden-set\.yaml \(its cases_from\.file\)/],
    ['linked/golden.csv', /it is the data file of the suite/],
    ['evalsets/support-answer/notes.txt', /it is a file of the project's evalsets\/ folder/],
  ])('%s is refused (exit 2) by every writer, and kept', (file, why) => {
    const before = readFileSync(path.join(dir, file), 'utf8');
    for (const write of [() => checkOutputPath(dir, file, { option: '--summary' }), () => writeOutputFile(dir, file, '# summary\n', { option: '--summary' }), () => appendOutputFile(dir, file, 'x', { option: '$GITHUB_STEP_SUMMARY' })]) {
      expect(write).toThrow(why);
      try {
        write();
      } catch (e) {
        expect(e).toMatchObject({ exitCode: 2, message: expect.stringMatching(/^refusing to write/) });
      }
    }
    expect(readFileSync(path.join(dir, file), 'utf8')).toBe(before);
  });

  it.each(['evalsets/support-answer/report.md', 'prompts/support-answer/reports/junit.xml'])('a new file inside prompts/ or evalsets/ (%s) is refused before it is written', (file) => {
    expect(() => checkOutputPath(dir, file, { option: '--junit' })).toThrow(/it is a file of the project's (prompts|evalsets)\/ folder/);
    expect(() => writeOutputFile(dir, file, '<x/>', { option: '--junit' })).toThrow(/refusing to write/);
  });

  it('an existing report and a new file are written', () => {
    writeOutputFile(dir, 'report.md', '# new\n', { option: '--summary' });
    expect(readFileSync(path.join(dir, 'report.md'), 'utf8')).toBe('# new\n');
    expect(checkOutputPath(dir, 'data/other.csv', { option: '--summary' })).toBe(path.join(dir, 'data/other.csv'));
  });
});
