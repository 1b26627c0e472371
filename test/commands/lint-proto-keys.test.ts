import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';

/**
 * A `__proto__` key where any key is taken (a case's vars, base_vars, tool_results, a data file's
 * column) was skipped by zod's records without a word: lint passed, and the case ran without the
 * value. Every such key is now an error at its line, as a strict object's unknown key was already.
 */

afterAll(() => cleanupTempDirs());

const SUITE = 'evalsets/support-answer/golden.yaml';
const said = (stdout: string) => (JSON.parse(stdout).problems as Array<{ file: string; line: number; field: string; message: string }>).map((p) => `${p.file}:${p.line} ${p.field}`);

describe('lint: a __proto__ key', () => {
  it('in a case\'s vars (YAML flow style) is an error at the key', async () => {
    const dir = makeProject();
    writeProjectFile(dir, SUITE, ['prompt: support-answer', 'kind: golden', 'cases:', '  - id: a', '    vars: { question: hi, __proto__: x }', '    expect: [{ contains: x }]', ''].join('\n'));
    const r = await runCliInProcess(['lint', '--json', SUITE], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(said(r.stdout)).toEqual([`${SUITE}:5 cases.0.vars.__proto__`]);
    expect(JSON.parse(r.stdout).problems[0].message).toMatch(/^"__proto__" cannot be a key here: .*remove it or choose another name$/);
  });

  it.for([
    { name: 'a JSONL key', file: 'data/rows.jsonl', text: '{"id":"a","question":"q","__proto__":"x"}\n{"id":"b","vars":{"question":"q","__proto__":"x"}}\n', want: ['data/rows.jsonl:1 __proto__', 'data/rows.jsonl:2 vars.__proto__'] },
    { name: 'a CSV column', file: 'data/rows.csv', text: 'id,question,__proto__\na,q,x\n', want: ['data/rows.csv:2 __proto__'] },
  ])('in a data file: $name, at its row', async ({ file, text, want }) => {
    const dir = makeProject();
    writeProjectFile(dir, SUITE, ['prompt: support-answer', 'kind: golden', 'cases_from:', `  file: ${file}`, '  expect: [{ contains: x }]', ''].join('\n'));
    writeProjectFile(dir, file, text);
    const r = await runCliInProcess(['lint', '--json'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(said(r.stdout)).toEqual(want);
  });
});
