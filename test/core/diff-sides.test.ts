import { describe, expect, it } from 'vitest';
import { diffSides } from '../../src/core/refs.js';
import { promptRefsAmong } from '../../src/core/list-options.js';

/** `diff` takes versions as every other command does (`id@a id@b`), and its older `id a b` form. */

describe('diffSides', () => {
  it.each<{ args: string[]; want: { id: string; a: string; b: string } | RegExp }>([
    { args: ['p', '1.0.0', '1.1.0'], want: { id: 'p', a: '1.0.0', b: '1.1.0' } },
    { args: ['p@1.0.0', 'p@1.1.0'], want: { id: 'p', a: '1.0.0', b: '1.1.0' } },
    { args: ['p@1.0.0', '1.1.0'], want: { id: 'p', a: '1.0.0', b: '1.1.0' } },
    { args: ['p', '1.0.0', 'p@1.1.0'], want: { id: 'p', a: '1.0.0', b: '1.1.0' } },
    { args: ['p', '1.0.0', 'q@1.1.0'], want: /^diff compares two versions of one prompt, got p and q$/ },
    { args: ['p@1.0.0', 'q@1.1.0'], want: /^diff compares two versions of one prompt, got p and q$/ },
    { args: ['p', '1.0.0'], want: /^diff takes two versions of one prompt, got "p" "1\.0\.0"$/ },
    { args: ['p@1.0.0', 'p@1.1.0', 'p@2.0.0'], want: /^diff takes two versions of one prompt/ },
    { args: ['p', '1.0', '1.1.0'], want: /is not a semantic version/ },
  ])('$args', ({ args, want }) => {
    if (want instanceof RegExp) expect(() => diffSides(args)).toThrow(want);
    else expect(diffSides(args)).toEqual(want);
  });
});

describe('promptRefsAmong: the words a list option took that are prompt versions', () => {
  it.each<{ words: string[]; ids?: string[]; want: string[] }>([
    { words: ['golden', 'support-answer@1.0.0'], want: ['support-answer@1.0.0'] },
    { words: ['a@', '@1.0.0', 'Not A Slug@1.0.0', 'golden'], want: [] },
    { words: ['sim-model', 'org/model@v2', 'support-answer@1.0.0'], ids: ['support-answer'], want: ['support-answer@1.0.0'] },
  ])('$words', ({ words, ids, want }) => {
    expect(promptRefsAmong(words, ids ? (id) => ids.includes(id) : undefined)).toEqual(want);
  });
});
