import { describe, expect, it } from 'vitest';
import { groupBy } from '../../src/core/group.js';

/** groupBy: keys in the order first seen, each group in item order, values mapped when asked. */
describe('groupBy', () => {
  it.each<[string, string[], Array<[string, string[]]>]>([
    ['nothing', [], []],
    ['one key', ['a1', 'a2'], [['a', ['a1', 'a2']]]],
    ['keys in first-seen order, items in order', ['b1', 'a1', 'b2', 'a2', 'c1'], [['b', ['b1', 'b2']], ['a', ['a1', 'a2']], ['c', ['c1']]]],
  ])('%s', (_, items, expected) => {
    expect([...groupBy(items, (s) => s[0]!)]).toEqual(expected);
  });

  it('maps values', () => {
    expect([...groupBy([{ k: 'x', v: 1 }, { k: 'x', v: 2 }], (o) => o.k, (o) => o.v)]).toEqual([['x', [1, 2]]]);
  });

  it('groups 100,000 items into one group (appended in place, not copied per item)', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => i);
    const groups = groupBy(items, () => 'all');
    expect(groups.get('all')).toHaveLength(100_000);
  });
});
