import { describe, expect, it } from 'vitest';
import { lintDatasetCases } from '../../src/core/lint/dataset-rules.js';
import type { LintablePrompt } from '../../src/core/lint/prompt-rules.js';
import { expandTemplate, variableColumn } from '../../src/core/dataset-rows.js';
import { rowToCase } from '../../src/core/dataset-row-case.js';
import { unknownKeyText } from '../../src/core/schema-problems.js';
import { CasesFrom, type EvalCase } from '../../src/core/schemas/evalset.js';
import { PromptVersion, VariableSpec } from '../../src/core/schemas/prompt.js';
import { ExtraBody } from '../../src/core/schemas/request.js';
import { argumentDifference } from '../../src/core/scoring/tool-checks.js';
import { checkValues, renderMessages } from '../../src/core/template.js';

/**
 * Names a user chooses (variables, dataset columns, tool arguments, keys of a file) that are also
 * what every JavaScript object inherits: looked up as own keys only. `values.constructor` used to
 * answer Object itself, so an optional variable named `constructor` could not be rendered ("must
 * be a string …, got a function"), and lint reported it for every case.
 */

const NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__'];
const optional = (name: string): VariableSpec => ({ name, type: 'string', required: false, untrusted: false });
const required = (name: string, type: VariableSpec['type'] = 'string'): VariableSpec => ({ name, type, required: true, untrusted: false });

describe.each(NAMES)('a variable named %s', (name) => {
  const messages = [{ role: 'user' as const, content: `[{{${name}}}]` }];

  it('optional and not set: renders empty, as any optional variable', () => {
    expect(renderMessages({ variables: [optional(name)], messages }, {})).toEqual({ messages: [{ role: 'user', content: '[]' }], problems: [] });
  });

  it('set: renders its value', () => {
    expect(renderMessages({ variables: [optional(name)], messages }, { [name]: 'x' }).messages[0]!.content).toBe('[x]');
  });

  it('required and not set: missing, for every type', () => {
    for (const type of ['string', 'number', 'boolean'] as const) {
      expect(checkValues([required(name, type)], {}).problems).toEqual([{ variable: name, issue: 'missing', message: `required variable "${name}" is missing` }]);
    }
  });

  it('lint of dataset rows: a required one no row sets is missing', () => {
    const version: LintablePrompt = { id: 'p', version: '1.0.0', file: 'prompts/p/1.0.0.yaml', locate: () => ({ line: 1, col: 1 }), data: PromptVersion.parse({ id: 'p', version: '1.0.0', description: 'd', author: 'a@example.com', model: {}, variables: [{ name }], messages }) };
    const cases = [{ id: 'r0', vars: {}, expect: [{ contains: 'x' }] }] as EvalCase[];
    expect(lintDatasetCases({ file: 'data/d.csv', firstCase: 0, lines: [2] }, cases, [version], undefined).map((p) => p.message)).toEqual([`rows do not set required variable "${name}" of p@1.0.0`]);
  });

  it('a dataset row: a column of that name that the row lacks is no value', () => {
    expect(expandTemplate(`{{${name}}}`, { id: 'a' })).toEqual({ fault: { column: name, message: `expect refers to column "${name}", which this row does not have` } });
    const spec = CasesFrom.parse({ file: 'd.csv', vars: { q: name }, expect: [{ contains: 'x' }] });
    expect(rowToCase({ id: 'a' }, spec, () => ({ data: undefined }))).toMatchObject({ case: { id: 'a', vars: {} } });
    const byColumns = CasesFrom.parse({ file: 'd.csv', id_column: name, tags_column: name, expect_column: name });
    expect(rowToCase({ id: 'a' }, byColumns, () => ({ data: undefined })).fault?.message).toBe(`the row has no id in column "${name}" (set id_column to use another column)`);
  });

  it('tool arguments: missing when expected, unexpected when extra', () => {
    expect(argumentDifference({ [name]: 1 }, {}, true)).toBe(`$.${name}: missing (expected "1")`);
    expect(argumentDifference({}, JSON.parse(`{"${name}": 1}`), false)).toBe(`$.${name}: unexpected argument`);
  });

  it('an unknown key of that name: the usual hint, no function text', () => {
    expect(unknownKeyText(undefined, [], name)).toBe(`unknown key "${name}" (check the spelling)`);
  });

  it('extra_body: not a sampling parameter, refused (it crashed looking up a "schema")', () => {
    const r = ExtraBody.safeParse({ [name]: 1 });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(new RegExp(`^"${name}" is not a vLLM sampling parameter extra_body may carry`));
  });
});

describe('__proto__ as a variable name', () => {
  it('is refused where it is declared: a value for it would be dropped by every map of values', () => {
    const r = VariableSpec.safeParse({ name: '__proto__' });
    expect(r.success).toBe(false);
    expect(r.error!.issues.map((i) => i.message)).toEqual(['"__proto__" is reserved (a value set for it would be lost): choose another name, such as proto']);
    expect(VariableSpec.safeParse({ name: '__proto' }).success).toBe(true);
  });

  it('a value given for it is undeclared, never a prototype', () => {
    expect(checkValues([optional('q')], JSON.parse('{"__proto__": "x"}')).problems).toEqual([{ variable: '__proto__', issue: 'undeclared', message: '"__proto__" is not a declared variable (declared: q)' }]);
  });
});

describe('variableColumn', () => {
  it.each(NAMES)('%s: its own column unless vars maps it', (name) => {
    expect(variableColumn(CasesFrom.parse({ file: 'd.csv', vars: { q: 'question' } }), name)).toBe(name);
  });
});
