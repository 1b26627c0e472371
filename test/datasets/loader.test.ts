import { mkdirSync, renameSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonFault } from '../../src/infra/dataset-read.js';
import { loadProject } from '../../src/infra/project.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';

/** `cases_from`: a suite's cases read from a JSONL, CSV or YAML file, with the rows in its content hash. */

afterAll(() => cleanupTempDirs());

const SUITE = (from: string, extra = '') => `prompt: support-answer\nversions: ">=1.0.0"\nkind: golden\ncases_from:\n${from}\n${extra}`;

function project(suite: string, files: Record<string, string | Buffer>): string {
  const dir = makeProject({ prefix: 'promptctl-datasets-' });
  writeProjectFile(dir, 'evalsets/support-answer/data.yaml', suite);
  for (const [rel, content] of Object.entries(files)) writeProjectFile(dir, rel, content);
  return dir;
}

const suiteOf = (dir: string) => {
  const p = loadProject(dir);
  return { suite: p.suites.find((s) => s.name === 'data'), problems: p.problems };
};

describe('cases_from', () => {
  it('reads JSONL rows after the inline cases, path relative to the project root', () => {
    const dir = project(SUITE('  file: data/golden.jsonl', 'cases:\n  - id: inline\n    vars: { question: hi }\n    expect: [{ contains: x }]\n'), {
      'data/golden.jsonl': '{"id":"a","question":"Refund?","expect":[{"icontains":"30 days"}]}\n\n{"id":"b","question":"Hours?","expect":[{"regex":"9am"}]}\n',
    });
    const { suite, problems } = suiteOf(dir);
    expect(problems).toEqual([]);
    expect(suite!.data.cases.map((c) => c.id)).toEqual(['inline', 'a', 'b']);
    expect(suite!.data.cases[2]).toEqual({ id: 'b', vars: { question: 'Hours?' }, expect: [{ regex: '9am' }] });
    expect(suite!.dataset).toEqual({ file: 'data/golden.jsonl', firstCase: 1, lines: Uint32Array.from([1, 3]) });
  });

  it('reads CSV with a column mapping and a suite-level expect template', () => {
    const dir = project(SUITE('  file: data/golden.csv\n  vars: { question: q }\n  expect:\n    - icontains: "{{answer}}"'), {
      'data/golden.csv': 'id,q,answer\nr1,"Refund, please?",30 days\nr2,"Two\nlines",9am\n',
    });
    const { suite, problems } = suiteOf(dir);
    expect(problems).toEqual([]);
    expect(suite!.data.cases).toEqual([
      { id: 'r1', vars: { question: 'Refund, please?' }, expect: [{ icontains: '30 days' }] },
      { id: 'r2', vars: { question: 'Two\nlines' }, expect: [{ icontains: '9am' }] },
    ]);
  });

  it('a CSV number fills a field that takes one ({{column}} alone keeps a number a number, as from JSONL)', () => {
    const dir = project(SUITE('  file: data/golden.csv\n  vars: { question: q }\n  expect:\n    - icontains: "{{answer}}"\n    - max-tokens: "{{limit}}"'), {
      'data/golden.csv': 'id,q,answer,limit,expect\nr1,Refund?,30 days,64,\nr2,Hours?,9am,128,"[{regex: Monday}]"\n',
    });
    const { suite, problems } = suiteOf(dir);
    expect(problems).toEqual([]);
    expect(suite!.data.cases.map((c) => c.expect)).toEqual([
      [{ icontains: '30 days' }, { 'max-tokens': 64 }],
      [{ icontains: '9am' }, { 'max-tokens': 128 }, { regex: 'Monday' }],
    ]);
  });

  it('a CSV value that is no number, or no whole number, for max-tokens: the row and the column (and the cases_from.expect field it fills)', () => {
    const dir = project(SUITE('  file: data/golden.csv\n  vars: { question: q }\n  expect:\n    - icontains: x\n    - max-tokens: "{{limit}}"'), {
      'data/golden.csv': 'id,q,limit,expect\nr1,Refund?,many,\nr2,Hours?,1.5,"[{regex: Monday}]"\n',
    });
    const { problems } = suiteOf(dir);
    expect(problems.map((p) => `${p.file}:${p.line} ${p.field}: ${p.message}`)).toEqual([
      'data/golden.csv:2 limit: cases_from.expect.1: column "limit" holds "many", not a number (max-tokens takes a number)',
      'data/golden.csv:3 limit: cases_from.expect.1.max-tokens: must be a whole number, not 1.5 (it is "{{limit}}", and this row\'s column "limit" holds "1.5": fix the cell)',
      'evalsets/support-answer/data.yaml:5 cases_from.file: cases_from: data/golden.csv:2 (column "limit"): cases_from.expect.1: column "limit" holds "many", not a number (max-tokens takes a number); 1 more problem in the file (`promptctl lint` lists them)',
    ]);
  });

  it('reads a YAML list', () => {
    const dir = project(SUITE('  file: data/golden.yaml'), { 'data/golden.yaml': '- id: a\n  vars: { question: Q }\n  expect: [{ contains: x }]\n' });
    expect(suiteOf(dir).suite!.data.cases).toEqual([{ id: 'a', vars: { question: 'Q' }, expect: [{ contains: 'x' }] }]);
  });

  it('hashes parsed rows: CRLF, CR CR LF and LF agree; a changed row changes the suite hash', () => {
    const csv = 'id,question,expect\na,Q,"[{contains: x}]"\nb,R,"[{contains: y}]"\n';
    const lf = suiteOf(project(SUITE('  file: data/g.csv'), { 'data/g.csv': csv })).suite!.hash;
    const crlf = suiteOf(project(SUITE('  file: data/g.csv'), { 'data/g.csv': csv.replace(/\n/g, '\r\n') })).suite!.hash;
    // Python's csv.writer on Windows without newline='': no value may keep a CR.
    const crcrlf = suiteOf(project(SUITE('  file: data/g.csv'), { 'data/g.csv': csv.replace(/\n/g, '\r\r\n') })).suite!;
    const changed = suiteOf(project(SUITE('  file: data/g.csv'), { 'data/g.csv': csv.replace('R,', 'R2,') })).suite!.hash;
    const jsonl = '{"id":"a","question":"Q","expect":"[{contains: x}]"}\n';
    const jl = suiteOf(project(SUITE('  file: data/g.jsonl'), { 'data/g.jsonl': jsonl })).suite!.hash;
    const jlSpaced = suiteOf(project(SUITE('  file: data/g.jsonl'), { 'data/g.jsonl': '{ "question": "Q", "id": "a", "expect": "[{contains: x}]" }\r\n' })).suite!.hash;
    expect(crlf).toBe(lf);
    expect(crcrlf.hash).toBe(lf);
    expect(JSON.stringify(crcrlf.data.cases)).not.toContain('\\r');
    expect(changed).not.toBe(lf);
    expect(jlSpaced).toBe(jl);
  });

  it.each([
    ['data/g.jsonl', '{"id":"a","question":"Q","expect":[{"contains":"x"}]}\n{"id":"b",\n', 'data/g.jsonl', 2, '', /not JSON/],
    ['data/g.jsonl', '{"id":"a","question":"Q","expect":[{"contains":"x"}]}\n{"id":"a","question":"Q","expect":[{"contains":"x"}]}\n', 'data/g.jsonl', 2, 'id', /already used by the row on line 1/],
    ['data/g.jsonl', '[1]\n', 'data/g.jsonl', 1, '', /JSON object/],
    ['data/g.csv', 'id,question,expect\na,Q,"[{contains: x}]"\nb,Q\n', 'data/g.csv', 3, '', /2 fields; the header has 3/],
    ['data/g.csv', 'id,question,expect\na,Q,"[{contain: x}]"\n', 'data/g.csv', 2, 'expect', /contain/],
    ['data/g.csv', 'id,question,expect\na,Q"x,"[{contains: x}]"\n', 'data/g.csv', 2, '', /quote inside an unquoted field/],
    ['data/g.csv', 'id,question,expect\nbad id,Q,"[{contains: x}]"\n', 'data/g.csv', 2, 'id', /letters, digits/],
    ['data/g.csv', 'id,quest"ion,expect\na,Q,"[{contains: x}]"\n', 'data/g.csv', 1, '', /^the header: a quote inside an unquoted field/],
  ])('%s with a bad row is a problem at its line', (file, content, where, line, field, message) => {
    const { suite, problems } = suiteOf(project(SUITE(`  file: ${file}`), { [file]: content }));
    expect(suite).toBeUndefined();
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({ file: where, line, field, severity: 'error' });
    expect(problems[0]!.message).toMatch(message);
    // The suite names it too, so commands that refuse a prompt's broken files (under evalsets/) see it.
    expect(problems[1]).toMatchObject({ file: 'evalsets/support-answer/data.yaml', line: 5, field: 'cases_from.file' });
    expect(problems[1]!.message).toContain(`cases_from: ${where}:${line}${field ? ` (column "${field}")` : ''}: ${problems[0]!.message}`);
  });

  it.each([
    ['a missing comma', '{"id":"b" "question":"Q"}', 11, "not JSON: Expected ',' or '}' after property value"],
    ['an unquoted name', '{"id":"b",question}', 11, 'not JSON: Expected double-quoted property name'],
    ['a line that ends inside a name', '{"id":"b",', 11, 'not JSON: Expected double-quoted property name'],
    ['text after the object', '{"id":"b"}}', 11, 'not JSON: Unexpected non-whitespace character'],
    // V8 names no position for an unexpected token and shortens its echo of the row: the column is
    // found by scanning the row, though the token also occurs earlier in it.
    ['a bare word where a value goes', '{"id":"x","question":x}', 22, "not JSON: Unexpected token 'x'"],
    ['a bare word in a long row', `{"id":"b","question":"${'y'.repeat(40)}","expect":[x]}`, 75, "not JSON: Unexpected token 'x'"],
  ])('a JSONL row that is not JSON (%s) is named at its line and column, without JSON.parse\'s offset', (_what, bad, col, message) => {
    const { problems } = suiteOf(project(SUITE('  file: data/g.jsonl'), { 'data/g.jsonl': `{"id":"a","question":"Q","expect":[{"contains":"x"}]}\n${bad}\n` }));
    expect(problems[0]).toMatchObject({ file: 'data/g.jsonl', line: 2, col, message });
  });

  it.each([
    ['a no-break space', '\u00a0', 1, 'U+00A0 NO-BREAK SPACE'],
    ['a line separator after spaces', '  \u2028', 3, 'U+2028 LINE SEPARATOR'],
    ['a byte order mark in mid-file', '\ufeff', 1, 'U+FEFF BYTE ORDER MARK'],
  ])('a JSONL line that looks blank but holds %s is a bad row naming it, not skipped', (_what, hidden, col, name) => {
    const rows = '{"id":"a","question":"Q","expect":[{"contains":"x"}]}\n \t\n';
    const { problems } = suiteOf(project(SUITE('  file: data/g.jsonl'), { 'data/g.jsonl': `${rows}${hidden}\n{"id":"b","question":"Q","expect":[{"contains":"x"}]}\n` }));
    expect(problems[0]).toMatchObject({ file: 'data/g.jsonl', line: 3, col, message: `the line looks blank but holds ${name}, which JSON does not read as whitespace; delete the line, or leave only spaces and tabs on it` });
    expect(problems).toHaveLength(2);
  });

  it.each([
    ["Unexpected token 'x', \"{x}\" is not valid JSON", '{x}', { message: "Unexpected token 'x'", col: 2 }],
    ['Unexpected token \' \', "{\"a\":\u00a01}" is not valid JSON', '{"a":\u00a01}', { message: "Unexpected token ' ' (U+00A0 NO-BREAK SPACE)", col: 6 }],
    ['Unexpected non-whitespace character after JSON at position 7', '{"a":1}\u200b', { message: 'Unexpected non-whitespace character (U+200B ZERO WIDTH SPACE)', col: 8 }],
    // V8 shortens the echo of a long row; the token occurs twice, and the one where the JSON breaks is placed.
    ['Unexpected token \'x\', ..."\"expect\": x}" is not valid JSON', '{"q":"x","expect": x}', { message: "Unexpected token 'x'", col: 20 }],
    ['Unexpected token \'x\', "xyyyyyyyyy"... is not valid JSON', `x${'y'.repeat(50)}`, { message: "Unexpected token 'x'", col: 1 }],
    ['Unexpected non-whitespace character after JSON at position 10', '{"id":"a"}}', { message: 'Unexpected non-whitespace character', col: 11 }],
    ['Some other words', '{', { message: 'Some other words', col: 2 }],
    ['Some other words', '{}', { message: 'Some other words' }],
    ['Unexpected end of JSON input', '[1,', { message: 'the line ends before the JSON value does', col: 4 }],
    ["Expected ',' or '}' after property value in JSON at position 7 (line 1 column 8)", '{"a":1 "b"}', { message: "Expected ',' or '}' after property value", col: 8 }],
  ])('jsonFault(%j)', (message, text, expected) => {
    expect(jsonFault(message, text)).toEqual(expected);
  });

  it('invalid UTF-8 names its line', () => {
    const bytes = Buffer.concat([Buffer.from('{"id":"a","question":"Q","expect":[{"contains":"x"}]}\n{"id":"'), Buffer.from([0xff]), Buffer.from('"}\n')]);
    const { problems } = suiteOf(project(SUITE('  file: data/g.jsonl'), { 'data/g.jsonl': bytes }));
    expect(problems[0]).toMatchObject({ file: 'data/g.jsonl', line: 2, message: expect.stringMatching(/UTF-8/) });
  });

  it.each([
    ['with a byte order mark', '\ufeff', 'the file looks like UTF-16 (little-endian, with a byte order mark), not UTF-8; save it as UTF-8'],
    ['without one', '', 'the file looks like UTF-16 (little-endian), not UTF-8; save it as UTF-8'],
  ])('a UTF-16LE data file (an Excel export) %s is said to be UTF-16, at line 1', (_name, bom, message) => {
    const csv = Buffer.from(`${bom}id,question,expect\nr1,Où est ma commande ?,"[{contains: x}]"\n`, 'utf16le');
    const { problems } = suiteOf(project(SUITE('  file: data/g.csv'), { 'data/g.csv': csv }));
    expect(problems[0]).toMatchObject({ file: 'data/g.csv', line: 1, message });
  });

  it('a row reusing an inline case id is an error', () => {
    const dir = project(SUITE('  file: data/g.jsonl', 'cases:\n  - id: a\n    vars: { question: hi }\n    expect: [{ contains: x }]\n'), { 'data/g.jsonl': '{"id":"a","question":"Q","expect":[{"contains":"x"}]}\n' });
    expect(suiteOf(dir).problems[0]).toMatchObject({ file: 'data/g.jsonl', line: 1, field: 'id', message: expect.stringMatching(/already used by a case in evalsets/) });
  });

  it.each([
    ['data/missing.jsonl', {}, /^cases_from file "data\/missing\.jsonl" does not exist \(paths are relative to the project root\): create it, or correct the path$/],
    ['data/g.jsonl/rows.jsonl', { 'data/g.jsonl': '{}\n' }, /^cases_from file "data\/g\.jsonl\/rows\.jsonl" does not exist: a part of its path is a file, not a folder$/],
    ['../outside.jsonl', {}, /outside the project/],
    ['data/g.txt', { 'data/g.txt': 'x' }, /cannot tell the format/],
    ['data/empty.jsonl', { 'data/empty.jsonl': '\n' }, /has no rows/],
    // Git's config holds the checkout's credentials in CI; a parse error would quote its lines.
    ['.git/config', { '.git/config': '[http]\n\textraheader = AUTHORIZATION: basic SECRET\n' }, /is in \.git\/, which holds git's own files \(in CI, the checkout's credentials\), not data/],
    ['./sub/../.git/config.jsonl', { '.git/config.jsonl': '{"SECRET": 1}\n' }, /is in \.git\//],
    ['.promptctl/registry.jsonl', { '.promptctl/registry.jsonl': '{"SECRET": 1}\n' }, /is in \.promptctl\/, which holds promptctl's registry and caches, not data/],
  ])('%s is a problem of the suite at cases_from.file', (file, files, message) => {
    const { problems } = suiteOf(project(SUITE(`  file: ${file}`), files));
    expect(problems).toEqual([expect.objectContaining({ file: 'evalsets/support-answer/data.yaml', line: 5, field: 'cases_from.file', message: expect.stringMatching(message) })]);
  });

  it('a data file reached through a link into .git is refused as .git itself is, quoting none of it', () => {
    const dir = project(SUITE('  file: data/config.csv\n  format: csv'), { '.git/config': 'SECRET-LINE,x\n' });
    mkdirSync(path.join(dir, 'data'));
    symlinkSync('../.git/config', path.join(dir, 'data/config.csv'));
    const { problems } = suiteOf(dir);
    expect(problems).toEqual([expect.objectContaining({ field: 'cases_from.file', message: expect.stringMatching(/is in \.git\//) })]);
    expect(JSON.stringify(problems)).not.toContain('SECRET');
  });

  it("a project in a sub-folder: a link to the repository's own .git is refused too", () => {
    const repo = makeProject({ prefix: 'promptctl-datasets-repo-' });
    writeProjectFile(repo, '.git/config', '[http]\n\textraheader = AUTHORIZATION: basic SECRET\n');
    const dir = path.join(repo, 'app');
    mkdirSync(path.join(dir, 'data'), { recursive: true });
    for (const f of ['.promptrc.yaml', 'prompts', 'evalsets']) renameSync(path.join(repo, f), path.join(dir, f));
    writeProjectFile(dir, 'evalsets/support-answer/data.yaml', SUITE('  file: data/c.jsonl'));
    symlinkSync('../../.git/config', path.join(dir, 'data/c.jsonl'));
    const { problems } = suiteOf(dir);
    expect(problems).toEqual([expect.objectContaining({ field: 'cases_from.file', message: expect.stringMatching(/is in \.git\//) })]);
    expect(JSON.stringify(problems)).not.toContain('SECRET');
  });

  it('a SQLite database or write-ahead log named anywhere (a registry.path outside .promptctl/) is refused, quoting none of it', () => {
    const wal = Buffer.alloc(32);
    wal.writeUInt32BE(0x377f0683, 0);
    wal.write('SECRET', 16);
    const journal = Buffer.concat([Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]), Buffer.from('SECRET')]);
    for (const [name, content, kind] of [['db/registry.csv', Buffer.from('SQLite format 3\0SECRET,x\n', 'latin1'), 'database'], ['db/registry.jsonl', wal, 'write-ahead log'], ['db/journal.csv', journal, 'rollback journal']] as const) {
      const { problems } = suiteOf(project(SUITE(`  file: ${name}`), { [name]: content }));
      expect(problems).toEqual([expect.objectContaining({ field: 'cases_from.file', message: expect.stringContaining(`is a SQLite ${kind} (a registry's), not data`) })]);
      expect(JSON.stringify(problems)).not.toContain('SECRET');
    }
  });

  it("lists at most 50 bad rows, then says how many more; the suite's summary counts every one", () => {
    // One row has the id column, so the rest are rows without an id (not a file without the column).
    const rows = ['{"id":"a","question":"Q","expect":[{"contains":"x"}]}', ...Array.from({ length: 60 }, () => '{"question":"no id"}')].join('\n');
    const { problems } = suiteOf(project(SUITE('  file: data/g.jsonl'), { 'data/g.jsonl': rows }));
    expect(problems).toHaveLength(52);
    expect(problems[50]!.message).toBe('10 more bad rows not listed');
    expect(problems[51]!.message).toMatch(/^cases_from: data\/g.jsonl:2 \(column "id"\): the row has no id.*; 59 more problems in the file/);
  });

  // A bad row does not stop the reading (lint lists every bad row); a fault of the whole file does.
  it.each([
    { file: 'data/g.csv', content: 'id,q,expect\nr1,Q,"[{contains: x}]"\nr2,"bad row"\nr3,"bad row 2"\nr1,dup,"[{contains: x}]"\nr6\n', lines: [3, 4, 5, 6], messages: [/2 fields; the header has 3/, /2 fields/, /already used by the row on line 2/, /1 fields/] },
    { file: 'data/g.jsonl', content: '{"id":"a","question":"Q","expect":[{"contains":"x"}]}\n{"id":"b",\n[1]\n{"id":"a","question":"Q","expect":[{"contains":"x"}]}\nnope\n', lines: [2, 3, 4, 5], messages: [/not JSON/, /JSON object/, /already used by the row on line 1/, /not JSON/] },
    { file: 'data/g.yaml', content: '- id: a\n  vars: { question: Q }\n  expect: [{ contains: x }]\n- just text\n- [1, 2]\n- id: a\n  vars: { question: Q }\n  expect: [{ contains: x }]\n', lines: [4, 5, 6], messages: [/mapping/, /mapping/, /already used by the row on line 1/] },
    // A stray quote spoils its row only; an unclosed quote ends what can be read, the rows before it still checked.
    { file: 'data/g.csv', content: 'id,q,expect\nr1,Q\nr2,Q"x,"[{contains: x}]"\nr3,Q\n', lines: [2, 3, 4], messages: [/2 fields/, /quote inside an unquoted field/, /2 fields/] },
    { file: 'data/g.csv', content: 'id,q,expect\nr1,"Q"x,"[{contains: x}]"\nr2,Q\nr3,"open\nr4,Q\n', lines: [2, 3, 4], messages: [/text after a closing quote/, /2 fields/, /never closed/] },
    // Bad UTF-8 ends what can be read too: the bad rows before it are listed first.
    { file: 'data/g.csv', content: Buffer.concat([Buffer.from('id,q,expect\nr1,"Q"x,"[{contains: x}]"\nr2,Q\nr3,'), Buffer.from([0xff]), Buffer.from(',x\nr4,Q\n')]), lines: [2, 3, 4], messages: [/text after a closing quote/, /2 fields/, /not valid UTF-8/] },
    { file: 'data/g.jsonl', content: Buffer.concat([Buffer.from('{"id":"a","question":"Q","expect":[{"contains":"x"}]}\n{"id":"b",\n{"id":"'), Buffer.from([0xff]), Buffer.from('"}\n')]), lines: [2, 3], messages: [/not JSON/, /not valid UTF-8/] },
  ])('$file: every bad row is listed at its line, in order', ({ file, content, lines, messages }) => {
    const { problems } = suiteOf(project(SUITE(`  file: ${file}`), { [file]: content }));
    const rows = problems.filter((p) => p.file === file);
    expect(rows.map((p) => p.line)).toEqual(lines);
    rows.forEach((p, i) => expect(p.message).toMatch(messages[i]!));
    // The suite names the first, and how many more.
    expect(problems.at(-1)!.message).toContain(`cases_from: ${file}:${lines[0]}`);
    expect(problems.at(-1)!.message).toContain(`; ${lines.length - 1} more problem`);
  });

  it('a suite without cases_from keeps its hash (its YAML only)', async () => {
    const dir = makeProject({ prefix: 'promptctl-datasets-' });
    const { canonicalHash } = await import('../../src/core/canonical.js');
    const { parse } = await import('yaml');
    const { readFileSync } = await import('node:fs');
    const golden = loadProject(dir).suites.find((s) => s.name === 'golden')!;
    expect(golden.hash).toBe(canonicalHash(parse(readFileSync(`${dir}/evalsets/support-answer/golden.yaml`, 'utf8'))));
    expect(golden.dataset).toBeUndefined();
  });
});
