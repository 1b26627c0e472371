import { describe, expect, it } from 'vitest';
import { hardToSeeName, hiddenInBlankLine } from '../../src/core/character-names.js';

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

/** A line that looks blank but holds more than spaces, tabs and CRs is named, not skipped. */
describe('hiddenInBlankLine', () => {
  it.each<[string, string, ReturnType<typeof hiddenInBlankLine>]>([
    ['an empty line', '', undefined],
    ['spaces, tabs and a CR: blank', ' \t\r ', undefined],
    ['a visible character', ' \u00a0x', undefined],
    ['a no-break space', '\u00a0', { col: 1, names: 'U+00A0 NO-BREAK SPACE' }],
    ['after spaces, each named once', '  \u2028\ufeff\u2028', { col: 3, names: 'U+2028 LINE SEPARATOR, U+FEFF BYTE ORDER MARK' }],
    ['a zero-width space (no whitespace, but unseen)', '\t\u200b', { col: 2, names: 'U+200B ZERO WIDTH SPACE' }],
    ['a vertical tab and a form feed (trim strips them; JSON does not)', '\u000b\u000c', { col: 1, names: 'U+000B LINE TABULATION, U+000C FORM FEED' }],
  ])('%s', (_, text, hidden) => expect(hiddenInBlankLine(text)).toEqual(hidden));
});
