import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProject } from '../../src/infra/project.js';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, makeSimProject, registryPath, removeProjectFile, withRegistry, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * A column that `cases_from` names and the data file does not have is the suite's mistake, at the
 * field naming it. Before, it read as an empty cell in every row: `expect_column: checkz` dropped
 * each row's own checks, and eval passed and marked the version tested.
 */

afterAll(() => cleanupTempDirs());

const SUITE_FILE = 'evalsets/support-answer/data.yaml';
// cases_from: is line 4; its fields follow, one a line, from line 5.
const SUITE = (fields: string) => `prompt: support-answer\nversions: ">=1.0.0"\nkind: golden\ncases_from:\n${fields}\n`;
const CSV = 'id,question,checks,labels\nr1,Refund?,"[{contains: x}]",a\nr2,Hours?,"[{contains: y}]",b\n';
const JSONL = '{"id":"r1","question":"Refund?","checks":[{"contains":"x"}]}\n{"id":"r2","question":"Hours?","expect":[{"contains":"y"}],"labels":"b"}\n';

function problemsOf(fields: string, files: Record<string, string>) {
  const dir = makeProject({ prefix: 'promptctl-columns-' });
  writeProjectFile(dir, SUITE_FILE, SUITE(fields));
  for (const [rel, content] of Object.entries(files)) writeProjectFile(dir, rel, content);
  const p = loadProject(dir);
  return { suite: p.suites.find((s) => s.name === 'data'), problems: p.problems.map((x) => `${x.file}:${x.line} ${x.field}: ${x.message}`) };
}

describe('cases_from names a column the file does not have', () => {
  it.each([
    { name: 'expect_column (CSV)', fields: '  file: data/g.csv\n  expect_column: checkz', want: `${SUITE_FILE}:6 cases_from.expect_column: expect_column names column "checkz", which data/g.csv does not have (did you mean "checks"? its columns: id, question, checks, labels)` },
    { name: 'tags_column (CSV)', fields: '  file: data/g.csv\n  expect_column: checks\n  tags_column: labelz', want: `${SUITE_FILE}:7 cases_from.tags_column: tags_column names column "labelz", which data/g.csv does not have (did you mean "labels"?` },
    { name: 'a variable mapped to a missing column (CSV)', fields: '  file: data/g.csv\n  expect_column: checks\n  vars:\n    question: questio', want: `${SUITE_FILE}:8 cases_from.vars.question: vars.question names column "questio", which data/g.csv does not have (did you mean "question"?` },
    { name: 'a {{column}} of cases_from.expect (CSV)', fields: '  file: data/g.csv\n  expect:\n    - icontains: "{{answer}}"', want: `${SUITE_FILE}:7 cases_from.expect.0.icontains: {{answer}} names column "answer", which data/g.csv does not have (its columns:` },
    { name: 'id_column (CSV)', fields: '  file: data/g.csv\n  id_column: key\n  expect_column: checks', want: `${SUITE_FILE}:6 cases_from.id_column: id_column (default: id) names column "key", which data/g.csv does not have` },
    { name: 'expect_column (JSONL): no row has the key', fields: '  file: data/g.jsonl\n  expect_column: checkz', want: `${SUITE_FILE}:6 cases_from.expect_column: expect_column names column "checkz", which no row of data/g.jsonl has (did you mean "checks"? keys its rows have: id, question, checks, expect, labels)` },
  ])('$name: one problem at the field, none per row; the suite is refused', ({ fields, want }) => {
    const { suite, problems } = problemsOf(fields, { 'data/g.csv': CSV, 'data/g.jsonl': JSONL });
    expect(suite).toBeUndefined();
    expect(problems).toHaveLength(1);
    expect(problems[0]!.startsWith(want), problems[0]).toBe(true);
  });

  it('a CSV header in another Unicode normal form than the suite names its column in (NFD from a macOS export) is that column', () => {
    const nfd = 're\u0301ponse';
    const nfc = 'r\u00e9ponse';
    for (const [header, named] of [[nfd, nfc], [nfc, nfd]]) {
      const { suite, problems } = problemsOf(`  file: data/g.csv\n  expect:\n    - icontains: "{{${named}}}"`, { 'data/g.csv': `id,question,${header}\nr1,Refund?,30 days\n` });
      expect(problems).toEqual([]);
      expect(suite!.data.cases[0]!.expect).toEqual([{ icontains: '30 days' }]);
    }
  });

  it('a JSONL key in another normal form is still missing, and the message says the two differ only in normal form', () => {
    const { problems } = problemsOf('  file: data/g.jsonl\n  expect:\n    - icontains: "{{r\u00e9ponse}}"', { 'data/g.jsonl': '{"id":"r1","re\u0301ponse":"x"}\n' });
    expect(problems).toEqual([expect.stringContaining('did you mean "re\u0301ponse"? ("re\u0301ponse" is written decomposed (a letter followed by U+0301): the two differ only in Unicode normal form.)')]);
  });

  it('cases_from.file in NFC finds the file a macOS checkout holds under its NFD name', () => {
    const { suite, problems } = problemsOf('  file: data/caf\u00e9.csv\n  expect_column: checks', { 'data/cafe\u0301.csv': CSV });
    expect(problems).toEqual([]);
    expect(suite!.data.cases.map((c) => c.id)).toEqual(['r1', 'r2']);
  });

  it('JSONL: a key one row has is a column (other rows may leave it out)', () => {
    const { suite, problems } = problemsOf('  file: data/g.jsonl\n  tags_column: labels', { 'data/g.jsonl': JSONL.replace('"checks":', '"expect":') });
    expect(problems).toEqual([]);
    expect(suite!.data.cases.map((c) => c.tags)).toEqual([undefined, ['b']]);
  });

  it('the default id column missing from the file: said once, not as "no id" in every row', () => {
    const { problems } = problemsOf('  file: data/g.csv', { 'data/g.csv': 'key,question,expect\nr1,Q,"[{contains: x}]"\nr2,Q,"[{contains: x}]"\n' });
    expect(problems).toEqual([`${SUITE_FILE}:4 cases_from.id_column: id_column (default: id) names column "id", which data/g.csv does not have (its columns: key, question, expect)`]);
  });

  it('rows the file itself spoils are still listed beside the missing column', () => {
    const { problems } = problemsOf('  file: data/g.csv\n  expect_column: checkz', { 'data/g.csv': `${CSV}r3,short\n` });
    expect(problems).toEqual([expect.stringMatching(/^evalsets\/support-answer\/data\.yaml:6 cases_from\.expect_column: /), 'data/g.csv:4 : the row has 2 fields; the header has 4', expect.stringMatching(/^evalsets\/support-answer\/data\.yaml:5 cases_from\.file: cases_from: data\/g\.csv:4: the row has 2 fields/)]);
  });
});

describe('the CLI: lint reports it, eval and deploy refuse it (exit 2, nothing recorded)', () => {
  const sim = simulatorForFile();

  it('expect_column and tags_column misspelt: before, lint was clean and eval passed without the rows\' own checks', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-columns-cli-');
    removeProjectFile(dir, 'evalsets/support-answer/golden.yaml');
    removeProjectFile(dir, 'evalsets/support-answer/adversarial.yaml');
    // Each row's own check fails on any answer: dropping it is what let the old eval pass.
    writeProjectFile(dir, 'data/golden.csv', 'id,question,checks,labels\nr1,How long do refunds take?,"[{contains: never-in-an-answer}]",refunds\n');
    writeProjectFile(dir, SUITE_FILE, SUITE('  file: data/golden.csv\n  vars: { question: question }\n  expect:\n    - not-contains: "zzzz"\n  expect_column: checkz\n  tags_column: labelz'));
    const lines = [
      `${SUITE_FILE}:9:3 cases_from.expect_column: expect_column names column "checkz", which data/golden.csv does not have (did you mean "checks"? its columns: id, question, checks, labels)`,
      `${SUITE_FILE}:10:3 cases_from.tags_column: tags_column names column "labelz", which data/golden.csv does not have (did you mean "labels"? its columns: id, question, checks, labels)`,
    ];
    for (const args of [['lint'], ['eval', 'support-answer@1.1.0'], ['deploy', 'support-answer@1.1.0', '--env', 'development']]) {
      const r = await runCliInProcess(args, { cwd: dir, env: { PROMPTCTL_ACTOR: 'script@example.com' } });
      expect(r.code, `${args.join(' ')}\n${r.output}`).toBe(2);
      // lint names the error (`file:9:3 error cases_from…`); eval and deploy list it without the word.
      for (const line of lines) expect(r.output).toContain(args[0] === 'lint' ? line.replace(/^(\S+:\d+:\d+) /, '$1 error ') : line);
    }
    if (existsSync(registryPath(dir))) expect(withRegistry(dir, (db) => db.prepare('SELECT (SELECT count(*) FROM runs) + (SELECT count(*) FROM events) AS n').get())).toEqual({ n: 0 });
  });

  it('a required variable mapped to a missing column is blamed on cases_from.vars, not on the rows', async () => {
    const dir = makeSimProject(sim.url, {}, 'promptctl-columns-cli-');
    writeProjectFile(dir, 'data/golden.csv', 'id,question,expect\nr1,How long do refunds take?,"[{icontains: refund}]"\n');
    writeProjectFile(dir, SUITE_FILE, SUITE('  file: data/golden.csv\n  vars: { question: questoin }'));
    const r = await runCliInProcess(['lint'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.output).toContain(`${SUITE_FILE}:6:11 error cases_from.vars.question: vars.question names column "questoin", which data/golden.csv does not have (did you mean "question"?`);
    expect(r.output).not.toMatch(/rows do not set required variable/);
  });
});
