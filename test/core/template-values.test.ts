import { describe, expect, it } from 'vitest';
import { checkValues } from '../../src/core/template.js';
import type { VariableSpec } from '../../src/core/schemas/prompt.js';

/**
 * One rule for what a variable takes, whoever calls: a string, a finite number or a boolean (the
 * CLI's `VarValue`; a number or boolean for a string variable is written as text). Anything else
 * a script hands the library's `render` is a problem, never "[object Object]", "x,y" or "null" in
 * the prompt.
 */

const spec = (name: string, type: VariableSpec['type']): VariableSpec => ({ name, type, required: true, untrusted: false });
const specs = [spec('s', 'string'), spec('n', 'number'), spec('b', 'boolean')];
const fine = { s: 'text', n: 1, b: true };

describe('checkValues refuses a value that is no string, number or boolean', () => {
  it.each([
    ['an object for a string', { s: { a: 1 } }, '"s" must be a string (or a number or boolean), got an object'],
    ['null for a string', { s: null }, '"s" must be a string (or a number or boolean), got null'],
    ['an array for a string', { s: ['x', 'y'] }, '"s" must be a string (or a number or boolean), got an array'],
    ['NaN for a string', { s: NaN }, '"s" must be a string (or a number or boolean), got NaN'],
    ['Infinity for a string', { s: Infinity }, '"s" must be a string (or a number or boolean), got Infinity'],
    ['a function for a string', { s: () => 'x' }, '"s" must be a string (or a number or boolean), got a function'],
    ['a bigint for a string', { s: 10n }, '"s" must be a string (or a number or boolean), got a bigint'],
    ['null for a number', { n: null }, '"n" must be a number, got null'],
    ['NaN for a number', { n: NaN }, '"n" must be a number, got NaN'],
    ['an array for a boolean', { b: [true] }, '"b" must be true or false, got an array'],
    ['a bigint for a boolean', { b: 1n }, '"b" must be true or false, got a bigint'],
  ])('%s', (_, given, message) => {
    const r = checkValues(specs, { ...fine, ...given } as never);
    expect(r.problems).toEqual([{ variable: Object.keys(given)[0], issue: 'type', message }]);
  });

  it.each([
    ['a string', 'text', 'text'],
    ['a number', 42, '42'],
    ['a boolean', false, 'false'],
    ['an empty string', '', ''],
  ])('takes %s for a string variable, as the CLI does', (_, value, text) => {
    expect(checkValues(specs, { ...fine, s: value })).toEqual({ values: { s: text, n: '1', b: 'true' }, problems: [] });
  });
});

describe('max_length counts characters as a person does', () => {
  const limited: VariableSpec = { name: 'q', type: 'string', required: true, untrusted: false, max_length: 4 };
  it.each([
    ['four emoji (eight UTF-16 units)', '😀😀😀😀', []],
    ['four CJK extension characters', '𠀀𠀁𠀂𠀃', []],
    ['five emoji', '😀😀😀😀😀', ['"q" is 5 characters; max_length is 4']],
    ['five letters', 'abcde', ['"q" is 5 characters; max_length is 4']],
    ['a lone surrogate counts as one', '\ud800abcd', ['"q" is 5 characters; max_length is 4']],
    // Grapheme clusters: what a person sees as one character is one, however many code points it takes.
    ['four thumbs-up with a skin tone (eight code points)', '👍🏽'.repeat(4), []],
    ['five thumbs-up with a skin tone', '👍🏽'.repeat(5), ['"q" is 5 characters; max_length is 4']],
    ['four flags (regional indicator pairs)', '🇫🇷🇩🇪🇯🇵🇧🇷', []],
    ['four accents written as combining marks', 'e\u0301'.repeat(4), []],
    ['four ZWJ families', '👨‍👩‍👧'.repeat(4), []],
    ['ten thumbs-up are ten, not twenty', '👍🏽'.repeat(10), ['"q" is 10 characters; max_length is 4']],
    ['a letter with 100,000 combining marks is not one character', 'a' + '\u0301'.repeat(100_000), ['"q" is 10001 characters; max_length is 4']],
    ['a family of four (seven code points) is one', '👨‍👩‍👧‍👦', []],
  ])('%s', (_, value, messages) => {
    expect(checkValues([limited], { q: value }).problems.map((p) => p.message)).toEqual(messages);
  });
});
