import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';

/**
 * A variable value written as a number in YAML or JSON was sent as the parsed number's text without
 * a word: `question: 12345678901234567890` as 12345678901234567000, a postcode `02134` as 2134, and
 * a JSONL golden set sent other prompts than the CSV copy of the same rows. lint (and eval's gate)
 * refuses a number that changed and warns of a changed form, naming file, line and field.
 */

afterAll(() => cleanupTempDirs());

const SUITE = 'evalsets/support-answer/numbers.yaml';
type Found = { file: string; line: number; field: string; severity: string; rule?: string; message: string };
const lintJson = async (dir: string) => {
  const r = await runCliInProcess(['lint', '--json'], { cwd: dir });
  const problems = (JSON.parse(r.stdout).problems as Found[]).filter((p) => p.rule?.startsWith('vars/number'));
  return { code: r.code, problems: problems.map(({ file, line, field, severity, rule, message }) => ({ file, line, field, severity, rule, message })) };
};
const BIG = '12345678901234567890 is read as the number 12345678901234567000 (an integer beyond 2^53 is not held exactly) and would be sent as "12345678901234567000", another number: quote it ("12345678901234567890") to send it as written';
const ZIP = '02134 is read as the number 2134 and sent as "2134", not as written: quote it ("02134") to send it as written, or write 2134';

describe('numbers in a suite', () => {
  const dir = makeProject();
  writeProjectFile(dir, SUITE, ['prompt: support-answer', 'kind: golden', 'cases:', '  - id: big', '    vars: { question: 12345678901234567890 }', '    expect: [{ contains: x }]', '  - id: zip', '    vars:', '      question: 02134', '    expect: [{ contains: x }]', '  - id: fine', '    vars: { question: 2134 }', '    expect: [{ contains: x }]', ''].join('\n'));

  it('lint: a changed number is an error, a changed form a warning, at the value', async () => {
    expect(await lintJson(dir)).toEqual({
      code: 2,
      problems: [
        { file: SUITE, line: 5, field: 'cases.0.vars.question', severity: 'error', rule: 'vars/number-changed', message: `case "big": ${BIG}` },
        { file: SUITE, line: 9, field: 'cases.1.vars.question', severity: 'warning', rule: 'vars/number-rewritten', message: `case "zip": ${ZIP}` },
      ],
    });
  });

  it('eval refuses the suite before anything is sent (exit 2)', async () => {
    const r = await runCliInProcess(['eval', 'support-answer@1.0.0', '--suite', 'numbers'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain(`${SUITE}:5:13 cases.0.vars.question: case "big": ${BIG}`);
  });
});

describe('numbers in base_vars', () => {
  it('are checked as case vars are', async () => {
    const dir = makeProject();
    writeProjectFile(dir, 'prompts/support-answer/1.0.0.yaml', (await import('node:fs')).readFileSync(`${dir}/prompts/support-answer/1.0.0.yaml`, 'utf8').replace('variables:\n', 'variables:\n  - name: zip\n    type: string\n'));
    writeProjectFile(dir, SUITE, ['prompt: support-answer', 'versions: 1.0.0', 'kind: golden', 'base_vars:', '  zip: 02134', 'cases:', '  - id: a', '    vars: { question: "q {{zip}}" }', '    expect: [{ contains: x }]', ''].join('\n'));
    expect((await lintJson(dir)).problems).toEqual([{ file: SUITE, line: 5, field: 'base_vars.zip', severity: 'warning', rule: 'vars/number-rewritten', message: ZIP }]);
  });
});

describe('numbers in a dataset', () => {
  const suite = (file: string) => ['prompt: support-answer', 'kind: golden', 'cases_from:', `  file: data/${file}`, '  vars: { question: q }', '  expect:', '    - contains: x', ''].join('\n');

  it('a JSONL row is reported at its line and column, once per column with the count; the CSV copy says nothing', async () => {
    const dir = makeProject();
    writeProjectFile(dir, SUITE, suite('rows.jsonl'));
    writeProjectFile(dir, 'data/rows.jsonl', '{"id":"a","q":"fine"}\n{"id":"b","q":12345678901234567890}\n{"id":"c","q":1.50}\n{"id":"d","q":2.50}\n');
    expect(await lintJson(dir)).toEqual({
      code: 2,
      problems: [
        { file: 'data/rows.jsonl', line: 2, field: 'q', severity: 'error', rule: 'vars/number-changed', message: `row "b": ${BIG}` },
        { file: 'data/rows.jsonl', line: 3, field: 'q', severity: 'warning', rule: 'vars/number-rewritten', message: 'row "c": 1.50 is read as the number 1.5 and sent as "1.5", not as written: quote it ("1.50") to send it as written, or write 1.5 (2 rows; the first is here)' },
      ],
    });
    const csv = makeProject();
    writeProjectFile(csv, SUITE, suite('rows.csv'));
    writeProjectFile(csv, 'data/rows.csv', 'id,q\na,fine\nb,12345678901234567890\nc,1.50\n');
    expect(await lintJson(csv)).toEqual({ code: 0, problems: [] });
  });

  it('a YAML row too', async () => {
    const dir = makeProject();
    writeProjectFile(dir, SUITE, suite('rows.yaml'));
    writeProjectFile(dir, 'data/rows.yaml', '- id: a\n  q: fine\n- id: b\n  q: 02134\n');
    expect((await lintJson(dir)).problems).toEqual([{ file: 'data/rows.yaml', line: 3, field: 'q', severity: 'warning', rule: 'vars/number-rewritten', message: `row "b": ${ZIP}` }]);
  });
});

describe('numbers in --vars-file', () => {
  const dir = makeProject();

  it('a changed number is refused (exit 2) naming file, line and field', async () => {
    writeProjectFile(dir, 'v.yaml', 'question: 12345678901234567890\n');
    const r = await runCliInProcess(['render', 'support-answer@1.0.0', '--vars-file', 'v.yaml'], { cwd: dir });
    expect(r.code, r.output).toBe(2);
    expect(r.stderr).toContain(`v.yaml:1:1 question: ${BIG}`);
  });

  it('a changed form is rendered with a warning', async () => {
    writeProjectFile(dir, 'v.yaml', 'question: 02134\n');
    const r = await runCliInProcess(['render', 'support-answer@1.0.0', '--vars-file', 'v.yaml'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    expect(r.stderr).toContain(`warning: v.yaml:1:1 question: ${ZIP}`);
  });
});
