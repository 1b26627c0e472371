import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * A number or true/false written as text (`threshold: "0.9"`, `requires_tested: no`, which YAML 1.2
 * reads as the text "no") was "must be a number, not a string": the line looks right to its author,
 * and nothing said what to write instead. The problem now says it.
 */

afterAll(() => cleanupTempDirs());

const SUITE = 'evalsets/support-answer/golden.yaml';

describe('lint: a number or true/false written as text', () => {
  it('says to remove the quotes, or to write true or false', async () => {
    const dir = makeProject();
    writeProjectFile(dir, SUITE, ['prompt: support-answer', 'kind: golden', 'threshold: "0.9"', 'cases:', '  - id: a', '    vars: { question: hi }', '    expect:', '      - no-pii: yes', '      - refusal: "false"', ''].join('\n'));
    const r = await runCliInProcess(['lint', '--json', SUITE], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    const problems = (JSON.parse(r.stdout).problems as Array<{ line: number; field: string; message: string }>).map((p) => `${p.line} ${p.field}: ${p.message}`);
    expect(problems).toEqual([
      '3 threshold: must be a number, not a string ("0.9" in quotes): remove the quotes',
      '8 cases.0.expect.0.no-pii: must be true ("yes"): write true (YAML 1.2 reads yes as text)',
      '9 cases.0.expect.1.refusal: must be true or false, not a string ("false" in quotes): remove the quotes',
    ]);
  });

  it('in the config too', async () => {
    const dir = makeProject();
    writeProjectFile(dir, '.promptrc.yaml', readProjectFile(dir, '.promptrc.yaml').replace('requires_tested: false', 'requires_tested: no'));
    const r = await runCliInProcess(['lint'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.output).toMatch(/\.promptrc\.yaml:\d+:\d+ environments\.0\.gates\.requires_tested: must be true or false, not a string \("no"\): write false \(YAML 1\.2 reads no as text\)/);
  });
});
