import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';

/**
 * A cases_from.expect field written as a `{{column}}` template is right in the suite: when a row
 * makes it wrong (an empty CSV cell, a cell that is no pattern), the problem names that row's
 * column and cell. It was `rows.csv:3:1 error cases_from.expect.0.icontains: must not be empty`,
 * no column, pointing at a suite field that is not empty.
 */

afterAll(() => cleanupTempDirs());

const SUITE = 'evalsets/support-answer/golden.yaml';

function project(): string {
  const dir = makeProject();
  writeProjectFile(dir, SUITE, ['prompt: support-answer', 'kind: golden', 'cases_from:', '  file: data/rows.csv', '  expect:', '    - icontains: "{{answer}}"', '    - regex: "^{{pre}}"', ''].join('\n'));
  writeProjectFile(dir, 'data/rows.csv', 'id,question,answer,pre\na,q1,x,ok\nb,q2,,ok\nc,q3,y,(\n');
  return dir;
}

describe('a row that makes a templated cases_from.expect field wrong', () => {
  it('is reported at the row, naming the column and what its cell holds', async () => {
    const r = await runCliInProcess(['lint', '--json'], { cwd: project() });
    expect(r.code, r.output).toBe(2);
    const problems = JSON.parse(r.stdout).problems as Array<{ file: string; line: number; field: string; message: string }>;
    expect(problems.map(({ file, line, field }) => ({ file, line, field }))).toEqual([
      { file: 'data/rows.csv', line: 3, field: 'answer' },
      { file: 'data/rows.csv', line: 4, field: 'pre' },
    ]);
    expect(problems[0]!.message).toContain('cases_from.expect.0.icontains: must not be empty (it is "{{answer}}", and this row\'s column "answer" is empty: fill the cell)');
    expect(problems[1]!.message).toContain('(it is "^{{pre}}", and this row\'s column "pre" holds "(": fix the cell)');
  });

  it('says the same in the text lint prints', async () => {
    const r = await runCliInProcess(['lint'], { cwd: project() });
    expect(r.stdout).toMatch(/^data\/rows\.csv:3:1 error answer: cases_from\.expect\.0\.icontains: must not be empty \(it is "\{\{answer\}\}"/m);
  });
});

describe('an empty or blank cell under a template part, and a row expectation lint warns about inline', () => {
  function rows(csv: string): string {
    const dir = makeProject();
    writeProjectFile(dir, SUITE, ['prompt: support-answer', 'kind: golden', 'cases_from:', '  file: data/rows.csv', '  vars: { question: q }', '  expect:', '    - contains: "{{days}} days"', ''].join('\n'));
    writeProjectFile(dir, 'data/rows.csv', csv);
    return dir;
  }
  const inData = (stdout: string) => (JSON.parse(stdout).problems as Array<{ file: string; line: number; field: string; message: string; severity: string; rule?: string }>).filter((p) => p.file === 'data/rows.csv').map(({ line, field, severity, rule, message }) => ({ line, field, severity, rule, message }));

  it('an empty cell is an error at the row naming the column, and eval refuses the suite', async () => {
    const dir = rows('id,q,days\na,q1,30\nb,q2,\n');
    const r = await runCliInProcess(['lint', '--json'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(inData(r.stdout)).toEqual([
      { line: 3, field: 'days', severity: 'error', rule: undefined, message: expect.stringContaining('cases_from.expect.0: contains is "{{days}} days", and this row\'s column "days" is empty: fill the cell (as it is, the check would be " days")') },
    ]);
    const e = await runCliInProcess(['eval', 'support-answer@1.0.0', '--suite', 'golden'], { cwd: dir });
    expect(e.code, e.output).toBe(2);
    expect(e.output).toContain('data/rows.csv:3');
  });

  it('a blank starts-with in rows is warned as an inline one is, once, with the count', async () => {
    const r = await runCliInProcess(['lint', '--json'], { cwd: rows('id,q,days,expect\na,q1,30,"[{starts-with: ""  ""}]"\nb,q2,5,\nc,q3,5,"[{starts-with: ""  ""}]"\n') });
    expect(inData(r.stdout)).toEqual([
      { line: 2, field: 'expect.0.starts-with', severity: 'warning', rule: 'expect/blank-starts-with', message: expect.stringMatching(/^row "a": starts-with is only whitespace, .* \(2 rows; the first is here\)$/) },
    ]);
  });
});

// An empty CSV cell for a required variable was sent as '' (the case ran on an empty question and
// could pass), while the same row in JSONL, without the key, was refused.
describe('an empty CSV cell for a required variable', () => {
  function project(file: string, rows: string): string {
    const dir = makeProject();
    writeProjectFile(dir, SUITE, ['prompt: support-answer', 'kind: golden', 'cases_from:', `  file: data/${file}`, '  vars: { question: q }', '  expect:', '    - not-contains: "45 days"', ''].join('\n'));
    writeProjectFile(dir, `data/${file}`, rows);
    return dir;
  }

  it('is refused as a JSONL row without the key is, at its line and column; eval refuses the suite', async () => {
    const csv = project('rows.csv', 'id,q\na,How long is the refund window?\nb,\n');
    const jsonl = project('rows.jsonl', '{"id":"a","q":"How long is the refund window?"}\n{"id":"b"}\n');
    const problems = async (dir: string) => {
      const r = await runCliInProcess(['lint', '--json'], { cwd: dir });
      expect(r.code, r.output).toBe(2);
      return (JSON.parse(r.stdout).problems as Array<{ file: string; line: number; field: string; rule?: string; message: string }>).filter((p) => p.file.startsWith('data/')).map(({ line, field, rule, message }) => ({ line, field, rule, message }));
    };
    // Row b: line 3 under the CSV header, line 2 of the JSONL file.
    const want = (line: number) => [{ line, field: 'q', rule: 'suite/missing-variable', message: 'rows do not set required variable "question" of support-answer@1.0.0, 1.1.0' }];
    expect(await problems(csv)).toEqual(want(3));
    expect(await problems(jsonl)).toEqual(want(2));
    const e = await runCliInProcess(['eval', 'support-answer@1.0.0', '--suite', 'golden'], { cwd: csv });
    expect(e.code, e.output).toBe(2);
    expect(e.output).toContain('data/rows.csv:3:1 q: rows do not set required variable "question"');
  });

  it('a JSONL empty string is a value, as before', async () => {
    const r = await runCliInProcess(['lint', '--json'], { cwd: project('rows.jsonl', '{"id":"a","q":""}\n') });
    expect((JSON.parse(r.stdout).problems as Array<{ rule?: string }>).filter((p) => p.rule === 'suite/missing-variable')).toEqual([]);
  });
});

describe('a TRUE/FALSE CSV cell', () => {
  it('is true or false for a boolean variable as for refusal: "{{refuse}}" in the same row', async () => {
    const dir = makeProject();
    const file = 'prompts/support-answer/1.0.0.yaml';
    writeProjectFile(dir, file, readFileSync(path.join(dir, file), 'utf8').replace('variables:\n', 'variables:\n  - { name: vip, type: boolean, required: true }\n'));
    writeProjectFile(dir, SUITE, ['prompt: support-answer', 'versions: "1.0.0"', 'kind: golden', 'cases_from:', '  file: data/rows.csv', '  vars: { question: q, vip: vip }', '  expect:', '    - refusal: "{{refuse}}"', ''].join('\n'));
    writeProjectFile(dir, 'data/rows.csv', 'id,q,vip,refuse\nb1,How long is the refund window?,TRUE,FALSE\n');
    const r = await runCliInProcess(['lint', '--json'], { cwd: dir });
    // The quickstart's other suites do not set vip: only the data file's problems are this test's.
    expect((JSON.parse(r.stdout).problems as Array<{ file: string; severity: string; message: string }>).filter((p) => p.file === 'data/rows.csv')).toEqual([]);
  });
});
