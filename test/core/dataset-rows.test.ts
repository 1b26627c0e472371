import { describe, expect, it } from 'vitest';
import yaml from 'js-yaml';
import { expandTemplate } from '../../src/core/dataset-rows.js';
import { rowToCase } from '../../src/core/dataset-row-case.js';
import { fieldTakes } from '../../src/core/expectation-fields.js';
import { CasesFrom } from '../../src/core/schemas/evalset.js';

const parseText = (text: string) => {
  try {
    return { data: yaml.load(text) };
  } catch (e) {
    return { error: (e as Error).message };
  }
};
const spec = (s: Record<string, unknown>) => CasesFrom.parse({ file: 'data/x.csv', ...s });
const map = (row: Record<string, unknown>, s: Record<string, unknown> = {}) => rowToCase(row, spec(s), parseText);

describe('rowToCase', () => {
  it('maps columns to variables and applies the suite-level expect template', () => {
    const r = map({ id: 'q1', question: 'Refund?', answer: '30 days' }, { vars: { question: 'question' }, expect: [{ icontains: '{{answer}}' }] });
    expect(r.case).toEqual({ id: 'q1', vars: { question: 'Refund?' }, expect: [{ icontains: '30 days' }] });
  });

  it('without vars, every column but id, expect, tags and description is a variable', () => {
    const r = map({ id: 7, question: 'Q', expect: '[{contains: x}]', tags: 'a, b', description: 'd' });
    expect(r.case).toEqual({ id: '7', description: 'd', vars: { question: 'Q' }, expect: [{ contains: 'x' }], tags: ['a', 'b'] });
  });

  it('reads a row shaped like an inline case (JSONL / YAML)', () => {
    const r = map({ id: 'a', vars: { question: 'Q', n: 2 }, expect: [{ regex: 'x' }, { 'max-tokens': 5 }] });
    expect(r.case).toEqual({ id: 'a', vars: { question: 'Q', n: 2 }, expect: [{ regex: 'x' }, { 'max-tokens': 5 }] });
  });

  it('combines the template and the row expectations, template first', () => {
    const r = map({ id: 'a', q: 'x', want: 'y', expect: '- regex: z' }, { vars: { q: 'q' }, expect: [{ contains: '{{want}}' }] });
    expect(r.case!.expect).toEqual([{ contains: 'y' }, { regex: 'z' }]);
  });

  it('keeps a number a number when a template field is one placeholder', () => {
    expect(expandTemplate({ 'max-tokens': '{{n}}', contains: 'n={{n}}' }, { n: 12 }).value).toEqual({ 'max-tokens': 12, contains: 'n=12' });
  });

  it.each([
    [{ question: 'Q', expect: '[{contains: x}]' }, 'id', /no id/],
    [{ id: 'bad id', q: 'x', expect: '[{contains: x}]' }, 'id', /letters, digits/],
    [{ id: 'a', q: 'x' }, undefined, /at least one expectation/],
    [{ id: 'a', q: 'x', expect: '[{contain: x}]' }, 'expect', /^expect\.0: unknown key "contain" \(did you mean "contains"\?\)$/],
    [{ id: 'a', q: 'x', expect: '[{contains: x' }, 'expect', /not YAML/],
    [{ id: 'a', q: { nested: 1 }, expect: '[{contains: x}]' }, 'q', /an object/],
    [{ id: 'a', q: 'x', expect: 'just text' }, 'expect', /list of expectations/],
  ])('%j is a fault naming column %s', (row, column, message) => {
    const r = map(row);
    expect(r.case).toBeUndefined();
    expect(r.fault!.column).toBe(column);
    expect(r.fault!.message).toMatch(message);
  });

  // `{{column}}` in a row's own expect column was compared as written: `not-contains: "{{forbidden}}"` could never fail.
  it('fills placeholders in the row\'s own expect column from its cells, as cases_from.expect does', () => {
    const r = map({ id: 'a', q: 'x', forbidden: '30 days', limit: '64', expect: '[{not-contains: "{{forbidden}}"}, {max-tokens: "{{limit}}"}]' }, { vars: { q: 'q' } });
    expect(r.case!.expect).toEqual([{ 'not-contains': '30 days' }, { 'max-tokens': 64 }]);
    // A JSONL row's list, and a lone mapping, too.
    expect(map({ id: 'a', q: 'x', want: 'y', expect: [{ contains: 'is {{want}}' }] }, { vars: { q: 'q' } }).case!.expect).toEqual([{ contains: 'is y' }]);
    expect(map({ id: 'a', q: 'x', want: 'y', expect: { contains: '{{want}}' } }, { vars: { q: 'q' } }).case!.expect).toEqual([{ contains: 'y' }]);
  });

  it.each([
    { name: 'a column the row lacks', row: { expect: '[{contains: x}, {not-contains: "{{nope}}"}]' }, column: 'nope', message: 'expect.1: expect refers to column "nope", which this row does not have' },
    { name: 'an empty cell under a template part', row: { days: '', expect: '[{contains: "{{days}} days"}]' }, column: 'days', message: 'expect.0: contains is "{{days}} days", and this row\'s column "days" is empty: fill the cell (as it is, the check would be " days")' },
    { name: 'an empty cell filling a whole field', row: { want: '', expect: '[{icontains: "{{want}}"}]' }, column: 'want', message: 'expect.0.icontains: must not be empty (it is "{{want}}", and this row\'s column "want" is empty: fill the cell)' },
  ])('a placeholder in the expect column: $name is a fault naming the cell', ({ row, column, message }) => {
    expect(map({ id: 'a', q: 'x', ...row }, { vars: { q: 'q' } }).fault).toEqual({ column, message });
  });

  it('an empty CSV cell leaves its variable unset (as a JSONL row without the key); elsewhere \'\' is a value', () => {
    const row = { id: 'a', q: '', n: ' ', expect: '[{contains: x}]' };
    expect(rowToCase(row, spec({}), parseText, { csv: true }).case!.vars).toEqual({ n: ' ' });
    expect(rowToCase(row, spec({ vars: { question: 'q' } }), parseText, { csv: true }).case!.vars).toEqual({});
    expect(map(row).case!.vars).toEqual({ q: '', n: ' ' });
  });

  it('a template naming a column the row lacks is a fault naming it', () => {
    const r = map({ id: 'a', q: 'x' }, { vars: { q: 'q' }, expect: [{ icontains: '{{answer}}' }] });
    expect(r.fault).toEqual({ column: 'answer', message: expect.stringMatching(/column "answer", which this row does not have/) });
  });

  it('an empty expansion is refused by the expectation schema', () => {
    const r = map({ id: 'a', q: 'x', answer: '' }, { vars: { q: 'q' }, expect: [{ icontains: '{{answer}}' }] });
    expect(r.case).toBeUndefined();
    expect(r.fault!.message).toMatch(/expect\.0/);
  });

  it.each([
    [{ id: 'refund 1', q: 'x' }, {}, 'id', 'must start with a letter or digit (A-Z, a-z, 0-9), then letters, digits, _ . - (at most 128 characters) (the cell holds "refund 1")'],
    [{ key: 'a/b', q: 'x' }, { id_column: 'key' }, 'key', 'id: must start with a letter or digit (A-Z, a-z, 0-9), then letters, digits, _ . - (at most 128 characters) (the cell holds "a/b")'],
  ])('a refused id names its column once and shows the cell: %j', (row, s, column, message) => {
    expect(map(row, s).fault).toEqual({ column, message });
  });

  it('declared key column and tags column', () => {
    const r = map({ key: 'k-1', q: 'x', labels: ['p', 'q'], expect: [{ contains: 'x' }] }, { id_column: 'key', tags_column: 'labels', vars: { q: 'q' } });
    expect(r.case).toEqual({ id: 'k-1', vars: { q: 'x' }, expect: [{ contains: 'x' }], tags: ['p', 'q'] });
  });
});

describe('a cell filling a whole field with one placeholder: a CSV cell (always text), a JSONL value', () => {
  it.each<{ name: string; expectation: Record<string, unknown>; cell: string | number | boolean; want: unknown }>([
    { name: 'max-tokens', expectation: { 'max-tokens': '{{n}}' }, cell: '50', want: { 'max-tokens': 50 } },
    { name: 'spaces around it', expectation: { 'max-tokens': '{{ n }}' }, cell: ' 7 ', want: { 'max-tokens': 7 } },
    { name: 'max-latency-ms, a decimal', expectation: { 'max-latency-ms': '{{n}}' }, cell: '2.5', want: { 'max-latency-ms': 2.5 } },
    { name: 'a nested field: judge.min_score', expectation: { judge: { rubric: 'r', min_score: '{{n}}' } }, cell: '.8', want: { judge: { rubric: 'r', min_score: 0.8 } } },
    { name: 'a text field keeps its text', expectation: { contains: '{{n}}' }, cell: '30', want: { contains: '30' } },
    // A JSONL/YAML number or true/false where the field takes text is its text (it was refused: "must be a text").
    { name: 'a JSONL number in a text field is its text', expectation: { contains: '{{n}}' }, cell: 30, want: { contains: '30' } },
    { name: 'a JSONL number in a list of texts', expectation: { contains: ['x', '{{n}}'] }, cell: 2.5, want: { contains: ['x', '2.5'] } },
    { name: 'a JSONL true in a text field', expectation: { equals: '{{n}}' }, cell: true, want: { equals: 'true' } },
    { name: 'a JSONL number in a rubric', expectation: { judge: { rubric: '{{n}}' } }, cell: 4, want: { judge: { rubric: '4' } } },
    { name: 'a JSONL number stays one where the field takes a number', expectation: { 'max-tokens': '{{n}}' }, cell: 30, want: { 'max-tokens': 30 } },
    { name: 'a JSONL number stays one inside a JSON schema (any value)', expectation: { 'json-schema': { const: '{{n}}' } }, cell: 30, want: { 'json-schema': { const: 30 } } },
    { name: 'part of a text is text', expectation: { 'max-tokens': 'n{{n}}' }, cell: '30', want: { 'max-tokens': 'n30' } },
  ])('$name', ({ expectation, cell, want }) => {
    expect(expandTemplate(expectation, { n: cell })).toEqual({ value: want });
  });

  it.each(['abc', '', '0x10', 'Infinity', '1e', '5 0'])('%j is not a number: a fault naming the column', (cell) => {
    expect(expandTemplate({ 'max-tokens': '{{lim}}' }, { lim: cell })).toEqual({ fault: { column: 'lim', message: `column "lim" holds ${JSON.stringify(cell)}, not a number (max-tokens takes a number)` } });
  });

  it('the schema says which fields take a number, and which true or false', () => {
    const paths = [['max-tokens'], ['max-latency-ms'], ['judge', 'min_score'], ['refusal'], ['no-pii'], ['no-tool-call'], ['contains'], ['judge', 'rubric'], ['tool-call', 'name'], ['is-json'], ['nope'], []];
    expect(paths.map((p) => fieldTakes(p))).toEqual(['number', 'number', 'number', 'boolean', 'boolean', 'boolean', 'text', 'text', 'text', undefined, undefined, undefined]);
    expect([['contains', 0], ['not-contains', 1], ['json-schema', 'const']].map((p) => fieldTakes(p))).toEqual(['text', 'text', undefined]);
  });

  it.each([
    ['true', true], ['false', false], ['TRUE', true], [' False ', false],
  ])('a CSV cell %j fills refusal: "{{refuse}}" as %j', (cell, want) => {
    expect(expandTemplate({ refusal: '{{refuse}}' }, { refuse: cell })).toEqual({ value: { refusal: want } });
  });

  it.each(['yes', '1', '', 'truth'])('%j is not true or false: a fault naming the column', (cell) => {
    expect(expandTemplate({ refusal: '{{refuse}}' }, { refuse: cell })).toEqual({ fault: { column: 'refuse', message: `column "refuse" holds ${JSON.stringify(cell)}, not true or false (refusal takes true or false)` } });
  });

  // A template part filled from an empty or blank cell made a check far weaker than written
  // (`" days"`, `"^"`), and a cell of spaces under starts-with passed everything, without a word.
  it.each([
    { name: 'an empty cell in part of a text', expectation: { contains: '{{n}} days' }, cell: '', message: 'contains is "{{n}} days", and this row\'s column "n" is empty: fill the cell (as it is, the check would be " days")' },
    { name: 'an empty cell after a regex anchor', expectation: { regex: '^{{n}}' }, cell: '', message: 'regex is "^{{n}}", and this row\'s column "n" is empty: fill the cell (as it is, the check would be "^")' },
    { name: 'a blank cell in an item of a list', expectation: { 'not-contains': ['x', 'no {{n}}'] }, cell: ' \t', message: 'not-contains.1 is "no {{n}}", and this row\'s column "n" holds only spaces: fill the cell (as it is, the check would be "no  \\t")' },
    { name: 'a blank cell filling a whole text field', expectation: { 'starts-with': '{{n}}' }, cell: '  ', message: 'starts-with is "{{n}}", and this row\'s column "n" holds only spaces: fill the cell (as it is, the check would be "  ")' },
  ])('$name is refused, naming the column', ({ expectation, cell, message }) => {
    expect(expandTemplate(expectation, { n: cell })).toEqual({ fault: { column: 'n', message } });
  });

  it('an empty cell filling a whole field is left to the field\'s own check, as before', () => {
    expect(expandTemplate({ equals: '{{n}}' }, { n: '' })).toEqual({ value: { equals: '' } });
    expect(map({ id: 'a', q: 'x', n: '' }, { vars: { q: 'q' }, expect: [{ icontains: '{{n}}' }] }).fault).toEqual({ column: 'n', message: 'cases_from.expect.0.icontains: must not be empty (it is "{{n}}", and this row\'s column "n" is empty: fill the cell)' });
  });

  it('rowToCase: a CSV column saying which rows must be refused', () => {
    const r = map({ id: 'a', q: 'x', refuse: 'false' }, { vars: { q: 'q' }, expect: [{ refusal: '{{refuse}}' }] });
    expect(r.case!.expect).toEqual([{ refusal: false }]);
  });

  it('rowToCase: the README\'s max-tokens: "{{limit}}" from a CSV row', () => {
    const r = map({ id: 'a', q: 'x', limit: '64' }, { vars: { q: 'q' }, expect: [{ contains: 'x' }, { 'max-tokens': '{{limit}}' }] });
    expect(r.case!.expect).toEqual([{ contains: 'x' }, { 'max-tokens': 64 }]);
  });

  it.each([
    { name: 'a bad value from cases_from.expect is named there, not by the expect column', row: { limit: '1.5', expect: '[{contains: y}]' }, column: 'limit', message: 'cases_from.expect.1.max-tokens: must be a whole number, not 1.5 (it is "{{limit}}", and this row\'s column "limit" holds "1.5": fix the cell)' },
    { name: 'a bad item of the expect column counts from 0 after cases_from.expect', row: { limit: '5', expect: '[{max-tokens: x}]' }, column: 'expect', message: 'expect.0.max-tokens: must be a number, not a string' },
    { name: 'a cell that is no number names its column', row: { limit: 'lots' }, column: 'limit', message: 'cases_from.expect.1: column "limit" holds "lots", not a number (max-tokens takes a number)' },
  ])('$name', ({ row, column, message }) => {
    const r = map({ id: 'a', q: 'x', ...row }, { vars: { q: 'q' }, expect: [{ contains: 'x' }, { 'max-tokens': '{{limit}}' }] });
    expect(r.fault).toEqual({ ...(column ? { column } : {}), message });
  });
});
