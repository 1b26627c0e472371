import { describe, expect, it } from 'vitest';
import { isDecimalNumber } from '../../src/core/decimal-number.js';
import type { VariableSpec } from '../../src/core/schemas/prompt.js';
import { checkValues, renderMessages } from '../../src/core/template.js';

/**
 * A `type: number` variable is checked against its type and sent as given (README): its text is
 * tested against the one decimal-number rule and never rewritten. `Number()` had turned
 * `19.90` into 19.9, `0x1F` into 31 and a 20-digit order number into another number, and taken
 * `0b11` and `007` the same way. Values from --var, --vars-file, case vars and dataset cells
 * all pass through checkValues.
 */

const n: VariableSpec = { name: 'n', type: 'number', required: true, untrusted: false };

describe('a number variable given as text', () => {
  it.each([
    ['12345678901234567890'],
    ['19.90'],
    ['007'],
    ['1e3'],
    ['-0.5'],
    ['+3'],
    ['.5'],
    ['5.'],
    ['0'],
    ['2E-7'],
  ])('%j is sent as given', (text) => {
    expect(checkValues([n], { n: text })).toEqual({ values: { n: text }, problems: [] });
    expect(renderMessages({ variables: [n], messages: [{ role: 'user', content: 'order {{n}}' }] }, { n: text }).messages).toEqual([{ role: 'user', content: `order ${text}` }]);
  });

  const decimal = ': write it in decimal digits (such as 31, -0.5 or 1e3), as it is sent as written';
  it.each([
    ['0x1F', decimal],
    ['0b11', decimal],
    ['0o17', decimal],
    ['Infinity', decimal],
    [' 0x1F', decimal],
    ['', ''],
    ['   ', ''],
    ['three', ''],
    ['1,000', ''],
    ['NaN', ''],
    ['.', ''],
  ])('%j is refused, naming the variable', (text, more) => {
    expect(checkValues([n], { n: text }).problems).toEqual([{ variable: 'n', issue: 'type', message: `"n" must be a number, got ${JSON.stringify(text)}${more}` }]);
  });
});

describe('a number variable given as text with spaces around it (a CSV cell written `r1, 5`)', () => {
  // As dataset expectations read a cell: the spaces are not part of the number, which is sent trimmed.
  it.each([[' 7', '7'], ['7 ', '7'], ['\t19.90 ', '19.90']])('%j is sent as %j', (text, sent) => {
    expect(checkValues([n], { n: text })).toEqual({ values: { n: sent }, problems: [] });
  });
});

describe('a number variable given as a number (YAML, JSON, the library)', () => {
  it.each([
    [12, '12'],
    [19.9, '19.9'],
    [-0.5, '-0.5'],
    [1e21, '1e+21'],
  ])('%j is sent as its own text %j', (value, text) => {
    expect(checkValues([n], { n: value })).toEqual({ values: { n: text }, problems: [] });
  });
});

describe('isDecimalNumber, the one rule (dataset expectations use it too)', () => {
  it.each([
    ['12', true],
    ['1e3', true],
    ['0x10', false],
    [' 7', false],
    ['', false],
    ['-', false],
    ['1e', false],
  ])('%j → %s', (text, want) => expect(isDecimalNumber(text)).toBe(want));
});
