import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { makeProject, readProjectFile, writeProjectFile } from '../support/project.js';

/**
 * A case value eval could not render is a lint error where it is written, so lint (and ci's lint
 * stage) refuses what eval would refuse. Before, lint said 0 errors and eval stopped with exit 2.
 */

describe('lint checks case values against the declared variables', () => {
  it('a value past max_length, and a number variable given a word: exit 2 at the value', async () => {
    const dir = makeProject();
    const v = readProjectFile(dir, 'prompts/support-answer/1.1.0.yaml').replace(/(variables:\n)/, '$1  - name: days\n    type: number\n    required: false\n');
    writeProjectFile(dir, 'prompts/support-answer/1.2.0.yaml', v.replace('version: 1.1.0', 'version: 1.2.0'));
    writeProjectFile(
      dir,
      'evalsets/support-answer/values.yaml',
      `prompt: support-answer\nversions: ">=1.2.0"\nkind: golden\nthreshold: 0.5\ncases:\n  - id: long\n    vars: { question: "${'x'.repeat(2100)}" }\n    expect: [{ contains: "a" }]\n  - id: word\n    vars: { question: "q", days: "three" }\n    expect: [{ contains: "a" }]\n`,
    );
    const r = await runCliInProcess(['lint'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stdout).toMatch(/evalsets\/support-answer\/values\.yaml:7:\d+ error cases\.0\.vars\.question: case "long": "question" is 2100 characters; max_length is 2000 \(a variable of support-answer@1\.2\.0\) \[suite\/variable-value\]/);
    expect(r.stdout).toMatch(/evalsets\/support-answer\/values\.yaml:10:\d+ error cases\.1\.vars\.days: case "word": "days" must be a number, got "three" \(a variable of support-answer@1\.2\.0\) \[suite\/variable-value\]/);
  });
});
