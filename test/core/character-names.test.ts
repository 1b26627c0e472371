import { describe, expect, it } from 'vitest';
import { hardToSeeName } from '../../src/core/character-names.js';

/** A message names a character only where showing it would show nothing, or another character. */
describe('hardToSeeName', () => {
  it.each<[string, string, string, string | undefined]>([
    ['a no-break space', '\u00a0', '', 'U+00A0 NO-BREAK SPACE'],
    ['a byte order mark', '\ufeff', '', 'U+FEFF BYTE ORDER MARK'],
    ['a right-to-left override', '\u202e', 'c', 'U+202E RIGHT-TO-LEFT OVERRIDE'],
    ['ESC', '\u001b', 'O', 'U+001B ESCAPE'],
    ['an unnamed control character', '\u0002', '', 'U+0002 (a control character)'],
    ['an en dash', '\u2013', '-', 'U+2013 EN DASH'],
    ['a Cyrillic letter beside the Latin one it looks like', '\u0430', 'a', 'U+0430 (a Cyrillic letter)'],
    ['a Cyrillic letter beside another Cyrillic letter: plain to see', '\u0430', '\u0431', undefined],
    ['a full-width letter beside ASCII', '\uff21', 'A', 'U+FF21 (a full-width form of "A")'],
    ['a plain space', ' ', '', undefined],
    ['a line break: shown as \\n where quoted', '\n', ' ', undefined],
    ['an ordinary letter', 'é', 'e', undefined],
    ['an emoji', '👍', '', undefined],
  ])('%s', (_, c, beside, name) => expect(hardToSeeName(c, beside)).toBe(name));
});
