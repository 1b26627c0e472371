import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/core/canonical.js';

// canonicalJson hashes stored content and audit events, so its text must never change: these rows
// pin what the faster implementation keeps byte for byte, edge cases included.
describe('canonicalJson keeps its exact text', () => {
  it.each<[string, unknown, string]>([
    ['nested keys sorted by code unit', { b: { d: 1, c: [true, null] }, a: 'x', B: 0, é: 1 }, '{"B":0,"a":"x","b":{"c":[true,null],"d":1},"é":1}'],
    ['undefined members dropped, undefined items null', { a: undefined, b: [undefined, 1] }, '{"b":[null,1]}'],
    ['an object whose members are all undefined', { a: undefined }, '{}'],
    ['holes in an array write nothing, as forEach skipped them', [1, , 3], '[1,3]'],
    ['a leading hole keeps the comma of the next item', [, 2], '[,2]'],
    ['toJSON is followed', { when: new Date(0), own: { toJSON: () => ({ z: 1, y: 2 }) } }, '{"own":{"y":2,"z":1},"when":"1970-01-01T00:00:00.000Z"}'],
    ['strings escaped as JSON.stringify does', { s: 'a"b\\c\n\u2028' }, '{"s":"a\\"b\\\\c\\n\u2028"}'],
    ['-0 and exponents as JSON', [-0, 1e21, 1.5e-7], '[0,1e+21,1.5e-7]'],
    ['a flat row of plain values (a sample digest row)', ['case-01', 0, 'pass', 12.5, null], '["case-01",0,"pass",12.5,null]'],
    ['a flat row with undefined, booleans and escapes', [undefined, true, 'a"\u2028', -0], '[null,true,"a\\"\u2028",0]'],
    ['an array holding an object is written item by item', [{ b: 1, a: 2 }, 'x'], '[{"a":2,"b":1},"x"]'],
  ])('%s', (_, value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it('an array of plain values reads as its items written one by one (the fast path for flat arrays)', () => {
    const plain = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
    fc.assert(
      fc.property(fc.array(plain, { maxLength: 8 }), (items) => {
        expect(canonicalJson(items)).toBe(`[${items.map((x) => canonicalJson(x === undefined ? null : x)).join(',')}]`);
      }),
    );
  });

  it('names the path of a value JSON cannot represent', () => {
    expect(() => canonicalJson(['row', Number.NaN])).toThrow('canonicalJson: $[1] is NaN, which JSON cannot represent');
    expect(() => canonicalJson({ a: [1, { b: Number.POSITIVE_INFINITY }] })).toThrow('canonicalJson: $.a[1].b is Infinity, which JSON cannot represent');
    expect(() => canonicalJson({ cases: [{ f: () => 1 }] })).toThrow('canonicalJson: $.cases[0].f is a function, which JSON cannot represent');
    expect(() => canonicalJson(10n)).toThrow('canonicalJson: $ is a bigint, which JSON cannot represent');
  });
});
