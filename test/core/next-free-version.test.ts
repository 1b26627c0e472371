import { describe, expect, it } from 'vitest';
import { bumpOf, nextFreeVersion } from '../../src/core/refs.js';

/**
 * `nextFreeVersion`, the one rule for the next free number: what `new` picks, what the edited-release
 * hint names, and what ci renames a taken version to (bumped as the taken one was: `bumpOf`).
 */

describe('the next free version', () => {
  it.each([
    ['a minor taken: the next minor', '1.2.0', ['1.0.0', '1.1.0', '1.2.0'], '1.3.0', []],
    ['the next minor taken too: the one after', '1.2.0', ['1.2.0', '1.3.0', '1.3.1'], '1.4.0', ['1.3.0']],
    ['a patch taken: the next patch of its line', '1.1.1', ['1.1.0', '1.1.1', '1.2.0'], '1.1.2', []],
    ['a major taken', '2.0.0', ['1.0.0', '2.0.0', '3.0.0'], '4.0.0', ['3.0.0']],
  ])('%s', (_, taken, known, free, skipped) => {
    expect(nextFreeVersion(taken, bumpOf(taken)!, known)).toEqual({ version: free, skipped });
  });

  it.each([
    ['the next patch free', '1.0.0', 'patch', ['1.0.0', '1.1.0'], '1.0.1', []],
    ['the next patch has a file: the one after', '1.0.0', 'patch', ['1.0.0', '1.0.1', '1.1.0'], '1.0.2', ['1.0.1']],
    ['a minor from an older line past the higher ones', '1.0.0', 'minor', ['1.0.0', '1.1.0', '1.2.0'], '1.3.0', ['1.1.0', '1.2.0']],
    ['no version yet', undefined, 'patch', [], '1.0.0', []],
  ] as const)('%s', (_, from, bump, known, free, skipped) => {
    expect(nextFreeVersion(from, bump, known)).toEqual({ version: free, skipped });
  });

  it.each([
    ['1.1.1', 'patch'],
    ['1.2.0', 'minor'],
    ['2.0.0', 'major'],
    ['x', undefined],
  ])('bumpOf(%s) is %s', (version, bump) => {
    expect(bumpOf(version)).toBe(bump);
  });
});
