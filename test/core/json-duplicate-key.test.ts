import { describe, expect, it } from 'vitest';
import { duplicateJsonKey } from '../../src/core/json-duplicate-key.js';

const dup = (text: string) => duplicateJsonKey(text, JSON.parse(text));

describe('duplicateJsonKey', () => {
  it.for([
    { text: '{"a":1}', want: undefined },
    { text: '{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}', want: undefined },
    { text: '{"a":"x\\":","b":"\\\\","c":"{\\"a\\":1}"}', want: undefined },
    { text: '{"s":"a:b","t":["x",":"]}', want: undefined },
    { text: '[1,{"a":1}]', want: undefined },
    { text: '{"a":1,"a":2}', want: { key: 'a', field: 'a', index: 7 } },
    { text: '{"a" : 1, "b":2, "a" :3}', want: { key: 'a', field: 'a', index: 17 } },
    { text: '{"a":1,"\\u0061":2}', want: { key: 'a', field: 'a', index: 7 } },
    { text: '{"vars":{"q":"x","q":"y"}}', want: { key: 'q', field: 'vars.q', index: 17 } },
    { text: '{"expect":[{"icontains":"a"},{"icontains":"b","icontains":"c"}]}', want: { key: 'icontains', field: 'expect.1.icontains', index: 46 } },
    { text: '{"x":{"y":1},"z":{"y":1,"w":{"k":"\\"","k":0}}}', want: { key: 'k', field: 'z.w.k', index: 38 } },
    { text: '{"a":{},"b":[],"b":[]}', want: { key: 'b', field: 'b', index: 15 } },
  ])('$text', ({ text, want }) => {
    const found = dup(text);
    expect(found).toEqual(want);
    if (found) expect(text.slice(found.index).startsWith('"')).toBe(true);
  });

  it('a row nested far deeper than a call stack holds: counted without recursion', () => {
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    expect(dup(deep)).toBeUndefined();
  });
});
