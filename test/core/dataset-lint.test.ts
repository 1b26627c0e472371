import { describe, expect, it } from 'vitest';
import { lintDatasetCases } from '../../src/core/lint/dataset-rules.js';
import type { LintablePrompt } from '../../src/core/lint/prompt-rules.js';
import { lintDatasetSchemas } from '../../src/core/lint/schema-rules.js';
import { lintSuite } from '../../src/core/lint/suite-rules.js';
import { EvalSet, type EvalCase } from '../../src/core/schemas/evalset.js';
import { PromptVersion } from '../../src/core/schemas/prompt.js';
import { lazySchemaEngine } from '../../src/infra/schema-engine.js';

const version = (v: string, variables: Array<{ name: string; required?: boolean }>): LintablePrompt => ({
  id: 'p',
  version: v,
  file: `prompts/p/${v}.yaml`,
  locate: () => ({ line: 1, col: 1 }),
  data: PromptVersion.parse({ id: 'p', version: v, description: 'd', author: 'a@example.com', model: {}, variables: variables.map((x) => ({ type: 'string', ...x })), messages: [{ role: 'user', content: variables.map((x) => `{{${x.name}}}`).join(' ') || 'hi' }] }),
});
const cases = (vars: Array<Record<string, string>>) => vars.map((v, i) => ({ id: `c${i}`, vars: v, expect: [{ contains: 'x' }] }));
const dataset = { file: 'data/d.csv', firstCase: 1, lines: [2, 3, 5] };

describe('lintDatasetCases', () => {
  it('reports an undeclared column and a missing required variable once each, at the first row, with the row count', () => {
    const all = cases([{ inline: 'ignored' }, { q: 'a', extra: '1' }, { extra: '2' }, { q: 'c' }]);
    const problems = lintDatasetCases(dataset, all, [version('1.0.0', [{ name: 'q', required: true }])], undefined);
    expect(problems).toEqual([
      expect.objectContaining({ file: 'data/d.csv', line: 2, field: 'extra', rule: 'suite/undeclared-variable', message: expect.stringMatching(/column "extra" sets a variable that p@1\.0\.0 does not declare \(2 rows; the first is here\)/) }),
      expect.objectContaining({ file: 'data/d.csv', line: 3, field: 'q', rule: 'suite/missing-variable', message: 'rows do not set required variable "q" of p@1.0.0' }),
    ]);
  });

  it('base_vars satisfy a required variable; a clean dataset has no problems', () => {
    const all = cases([{}, { q: 'a' }, {}, { q: 'c' }]);
    expect(lintDatasetCases(dataset, all, [version('1.0.0', [{ name: 'q', required: true }])], { q: 'base' })).toEqual([]);
  });

  it('names every covered version that raises the problem', () => {
    const all = cases([{}, { q: 'a', extra: '1' }, { q: 'b' }, { q: 'c' }]);
    const problems = lintDatasetCases(dataset, all, [version('1.0.0', [{ name: 'q' }]), version('1.1.0', [{ name: 'q' }])], undefined);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/p@1\.0\.0, 1\.1\.0 do not declare/);
  });
});

describe('lintDatasetCases: row values eval could not render (suite/variable-value), as for inline cases', () => {
  const typed = (v: string, spec: Record<string, unknown>): LintablePrompt => {
    const base = version(v, [{ name: 'q' }]);
    return { ...base, data: { ...base.data, variables: [{ name: 'q', type: 'string', required: false, untrusted: false, ...spec }] as typeof base.data.variables } };
  };
  const rows = (qs: Array<string | number>) => [{ id: 'inline', vars: {}, expect: [{ contains: 'x' }] }, ...qs.map((q, i) => ({ id: `r${i}`, vars: { q }, expect: [{ contains: 'x' }] }))] as EvalCase[];
  const long = 'x'.repeat(30);
  it.each<{ name: string; cases: EvalCase[]; covered: LintablePrompt[]; spec?: { vars?: Record<string, string> }; want: string[] }>([
    { name: 'a value that is not a number: at its row, naming the column', cases: rows(['3', 'three', '5']), covered: [typed('1.0.0', { type: 'number' })], want: ['data/d.csv:3 q: row "r1": "q" must be a number, got "three" (a variable of p@1.0.0)'] },
    { name: 'numbers in another notation than decimal digits (sent as written; 1e3 is decimal): once, at the first', cases: rows(['0x10', '1e3', ' 7', '0b11']), covered: [typed('1.0.0', { type: 'number' })], want: ['data/d.csv:2 q: row "r0": "q" must be a number, got "0x10": write it in decimal digits (such as 31, -0.5 or 1e3), as it is sent as written (a variable of p@1.0.0) (2 rows; the first is here)'] },
    { name: 'past max_length in many rows: once, at the first, with the row count', cases: rows(['ok', long, long]), covered: [typed('1.0.0', { max_length: 10 })], want: ['data/d.csv:3 q: row "r1": "q" is 30 characters; max_length is 10 (a variable of p@1.0.0) (2 rows; the first is here)'] },
    { name: 'the column a vars mapping reads', cases: rows([long]), covered: [typed('1.0.0', { max_length: 10 })], spec: { vars: { q: 'question' } }, want: ['data/d.csv:2 question: row "r0": "q" is 30 characters; max_length is 10 (a variable of p@1.0.0)'] },
    { name: 'versions with the same limit share the problem; another limit is its own', cases: rows([long]), covered: [typed('1.0.0', { max_length: 10 }), typed('1.1.0', { max_length: 10 }), typed('2.0.0', { max_length: 20 })], want: ['data/d.csv:2 q: row "r0": "q" is 30 characters; max_length is 10 (a variable of p@1.0.0, 1.1.0)', 'data/d.csv:2 q: row "r0": "q" is 30 characters; max_length is 20 (a variable of p@2.0.0)'] },
    { name: 'values within the declaration: nothing', cases: rows(['1', 2, '3.5']), covered: [typed('1.0.0', { type: 'number', max_length: 5 })], want: [] },
  ])('$name', ({ cases, covered, spec, want }) => {
    const problems = lintDatasetCases(dataset, cases, covered, undefined, spec);
    expect(problems.every((p) => p.rule === 'suite/variable-value')).toBe(true);
    expect(problems.map((p) => `${p.file}:${p.line} ${p.field}: ${p.message}`)).toEqual(want);
  });
});

describe('lintDatasetSchemas: the schema and tool rules on dataset rows, placed in the data file', () => {
  const schemas = lazySchemaEngine();
  const withTool = { ...version('1.0.0', [{ name: 'q' }]), data: { ...version('1.0.0', [{ name: 'q' }]).data, tools: [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object' } } }] } };
  const plain = version('1.1.0', [{ name: 'q' }]);
  const rows = (expects: Array<Array<Record<string, unknown>>>) => [{ id: 'inline', vars: {}, expect: [{ 'json-schema': { type: 'objectx' } }] }, ...expects.map((e, i) => ({ id: `r${i}`, vars: {}, expect: e }))] as EvalCase[];
  const BAD = { 'json-schema': { type: 'objectx' } };

  it.each<{ name: string; cases: EvalCase[]; spec?: { expect?: Array<Record<string, unknown>>; expect_column?: string }; covered?: LintablePrompt[]; want: string[] }>([
    { name: 'a row\'s own invalid schema: the expect column, the row\'s line', cases: rows([[{ contains: 'x' }], [BAD]]), want: ['data/d.csv:3 expect.0.json-schema schema/invalid: the JSON schema is invalid'] },
    { name: 'after the suite-level expect, the column counts from 0', cases: rows([[{ contains: 'x' }, BAD]]), spec: { expect: [{ contains: 'x' }] }, want: ['data/d.csv:2 expect.0.json-schema schema/invalid'] },
    { name: 'a named expect column', cases: rows([[BAD]]), spec: { expect_column: 'checks' }, want: ['data/d.csv:2 checks.0.json-schema schema/invalid'] },
    { name: 'an invalid cases_from.expect: once, at the first row, with the row count', cases: rows([[BAD], [BAD], [BAD]]), spec: { expect: [BAD] }, want: ['data/d.csv:2 cases_from.expect.0.json-schema schema/invalid: the JSON schema is invalid (draft 2020-12): schema is invalid: data/type must be equal to one of the allowed values, data/type must be array, data/type must match a schema in anyOf (3 rows; the first is here)'] },
    { name: 'an unknown tool, naming the first row\'s case', cases: rows([[{ 'tool-call': { name: 'get_wether' } }], [{ 'tool-call': { name: 'get_wether' } }]]), covered: [withTool], want: ['data/d.csv:2 expect.0 tools/unknown-tool: case "r0" expects a call to get_wether, which p@1.0.0 does not declare under tools (2 rows; the first is here)'] },
    { name: 'matches-response-format on a version without a schema', cases: rows([[{ contains: 'x' }], [{ 'json-schema': { 'matches-response-format': true } }]]), covered: [plain], want: ['data/d.csv:3 expect.0 schema/no-response-format: case "r1" matches the version\'s response format, but p@1.1.0 declares no JSON schema'] },
    { name: 'valid rows: nothing (the inline case is lintSuiteSchemas\'s)', cases: rows([[{ contains: 'x' }], [{ 'json-schema': { type: 'object' } }], [{ 'tool-call': { name: 'get_weather' } }]]), covered: [withTool], want: [] },
  ])('$name', ({ cases, spec, covered, want }) => {
    const got = lintDatasetSchemas({ dataset, cases, spec: spec ?? {}, covered: covered ?? [withTool] }, schemas).map((p) => `${p.file}:${p.line} ${p.field} ${p.rule}: ${p.message}`);
    expect(got).toHaveLength(want.length);
    got.forEach((g, i) => expect(g.startsWith(want[i]!), g).toBe(true));
  });

  it('lintSuite checks dataset rows (lint and the gates of eval and deploy call it)', () => {
    const data = EvalSet.parse({ prompt: 'p', kind: 'golden', cases_from: { file: 'data/d.csv' }, cases: rows([[{ contains: 'x' }], [BAD]]).slice(1) });
    const suite = { promptId: 'p', name: 'golden', file: 'evalsets/p/golden.yaml', data, locate: () => ({ line: 1, col: 1 }), dataset: { ...dataset, firstCase: 0 } };
    const got = lintSuite(suite, { prompts: [withTool], schemas }).filter((p) => p.rule === 'schema/invalid');
    expect(got.map((p) => `${p.file}:${p.line} ${p.field}`)).toEqual(['data/d.csv:3 expect.0.json-schema']);
  });
});
