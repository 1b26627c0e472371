import { describe, expect, it } from 'vitest';
import { nextFreeVersion } from '../../src/core/refs.js';

/** `nextFreeVersion`: what a new version renames to when another branch released its number first. */

describe('the next free version', () => {
  it.each([
    ['a minor taken: the next minor', '1.2.0', ['1.0.0', '1.1.0', '1.2.0'], '1.3.0'],
    ['the next minor taken too: the one after', '1.2.0', ['1.2.0', '1.3.0', '1.3.1'], '1.4.0'],
    ['a patch taken: the next patch of its line', '1.1.1', ['1.1.0', '1.1.1', '1.2.0'], '1.1.2'],
    ['a major taken', '2.0.0', ['1.0.0', '2.0.0', '3.0.0'], '4.0.0'],
    ['not a version', 'x', [], undefined],
  ])('%s', (_, taken, known, free) => {
    expect(nextFreeVersion(taken, known)).toBe(free);
  });
});
