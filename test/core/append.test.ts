import { describe, expect, it } from 'vitest';
import { appendAll } from '../../src/core/append.js';

describe('appendAll', () => {
  it('appends more items than a spread push can pass as arguments (Node overflows near 125,000)', () => {
    const many = Array.from({ length: 300_000 }, (_, i) => i);
    expect(() => [].push(...(many as never[]))).toThrow(RangeError);
    const target = [-1];
    expect(appendAll(target, many)).toBe(target);
    expect(target).toHaveLength(300_001);
    expect(target.at(-1)).toBe(299_999);
  });
});
