import { describe, expect, it } from 'vitest';
import { jsonNumberTexts } from '../../src/core/json-number-text.js';
import { writtenNumber } from '../../src/core/written-number.js';
import { writtenNumberProblems, type WrittenNumberSuite } from '../../src/core/lint/written-numbers.js';

/**
 * A number a YAML or JSON file holds is parsed before promptctl sees it and sent as the parsed
 * value's text: `02134` went out as `2134` and `12345678901234567890` as `12345678901234567000`,
 * without a word. The rule: another number is an error, another form of the same number a warning.
 */

describe('writtenNumber', () => {
  it.each([
    ['12345678901234567890', 12345678901234567890, 'an integer beyond 2^53 is not held exactly'],
    ['9007199254740993', 9007199254740993, 'an integer beyond 2^53 is not held exactly'],
    ['0.30000000000000000001', 0.3, 'a number holds about 16 significant digits'],
  ])('%s, read as another number, is an error', (written, value, why) => {
    expect(writtenNumber(written, value)).toEqual({ severity: 'error', rule: 'vars/number-changed', message: `${written} is read as the number ${String(value)} (${why}) and would be sent as "${String(value)}", another number: quote it ("${written}") to send it as written` });
  });

  it.each([
    ['02134', 2134],
    ['1.50', 1.5],
    ['1e3', 1000],
    ['0x1F', 31],
    ['0o17', 15],
    ['+5', 5],
    ['-0', -0],
    ['1E21', 1e21],
  ])('%s, the same number in another form, is a warning', (written, value) => {
    expect(writtenNumber(written, value)).toEqual({ severity: 'warning', rule: 'vars/number-rewritten', message: `${written} is read as the number ${String(value)} and sent as "${String(value)}", not as written: quote it ("${written}") to send it as written, or write ${String(value)}` });
  });

  it.each([['2134', 2134], ['0.1', 0.1], ['-3.25', -3.25]])('%s, sent as written, says nothing', (written, value) => {
    expect(writtenNumber(written, value)).toBeUndefined();
  });

  it('says nothing without a written text', () => expect(writtenNumber(undefined, 12345678901234567890)).toBeUndefined());
});

describe('jsonNumberTexts', () => {
  it('gives the text of each top-level number, past strings, nested values and spaces', () => {
    expect(jsonNumberTexts('{"id":"a:1,2","q":12345678901234567890, "n":{"x":1.50,"y":[2]},"z":[1,2],"w" : -1.0e3,"s":"7"}')).toEqual({ q: '12345678901234567890', w: '-1.0e3' });
  });
});

describe('writtenNumberProblems on a data file', () => {
  // A column named like an Object.prototype member is a column like any other: `columns.valueOf`
  // answered with the inherited function, read as the number's written text (an error, exit 2).
  it('reads a column called valueOf, constructor or toString as the column it is', () => {
    const suite: WrittenNumberSuite = {
      file: 'evalsets/x/golden.yaml',
      data: { cases: [{ id: 'r1', vars: { zip: 2134, valueOf: 3, constructor: 4, toString: 5 }, expect: [] }] as never, base_vars: {}, cases_from: undefined },
      locate: () => ({ line: 1, col: 1 }),
      dataset: { file: 'data/rows.jsonl', firstCase: 0, lines: [1], written: new Map([[0, { zip: '02134' }]]) },
    };
    expect(writtenNumberProblems(suite).map((p) => `${p.field} ${p.rule}`)).toEqual(['zip vars/number-rewritten']);
  });
});
