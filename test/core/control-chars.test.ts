import { describe, expect, it } from 'vitest';
import { escapeControlChars, escapeDistinctly, findFileControlChar, findInvisibleChar } from '../../src/core/control-chars.js';
import { historyText } from '../../src/render/history-text.js';

/**
 * Text an older release stored unrefused reaches a terminal shown, not obeyed: control characters
 * as `\n`, `\e`, `\x07`, and invisible or direction-changing ones as `\u{200b}`, `\u{202e}` (a
 * zero-width space makes two actors look alike; a right-to-left override prints the rest backwards).
 */
describe('escapeControlChars', () => {
  it.each([
    ['plain text', 'alice: ok', '', 'alice: ok'],
    ['a newline and an escape', 'a\nb\u001b[31m', '', 'a\\nb\\e[31m'],
    ['a bell and a C1 CSI', '\u0007\u009b', '', '\\x07\\x9b'],
    ['a zero-width space', 'bob\u200bsmith', '', 'bob\\u{200b}smith'],
    ['a right-to-left override', 'ok \u202eevil', '', 'ok \\u{202e}evil'],
    ['a soft hyphen, a BOM and a word joiner', '\u00ad\ufeff\u2060', '', '\\u{ad}\\u{feff}\\u{2060}'],
    ['an isolate', '\u2067x\u2069', '', '\\u{2067}x\\u{2069}'],
    ['kept newlines and tabs of prompt content', 'a\n\tb\u200b', '\n\t', 'a\n\tb\\u{200b}'],
    ['visible non-ASCII stays', 'héllo 👍🏽 日本', '', 'héllo 👍🏽 日本'],
    // A joiner that joins emoji or shapes a script is kept; one between ASCII letters, or at an edge, is shown.
    ['an emoji family keeps its joiners', 'hi 👨\u200d👩\u200d👧!', '', 'hi 👨\u200d👩\u200d👧!'],
    ['a rainbow flag keeps its joiner after a variation selector', '🏳\ufe0f\u200d🌈', '', '🏳\ufe0f\u200d🌈'],
    ['a Devanagari conjunct keeps its joiner', 'क्\u200dष', '', 'क्\u200dष'],
    ['a Persian non-joiner stays', 'می\u200cخواهم', '', 'می\u200cخواهم'],
    ['a joiner between ASCII letters is shown', 'bob\u200dsmith', '', 'bob\\u{200d}smith'],
    ['a joiner at the edge is shown', '\u200d👍', '', '\\u{200d}👍'],
    ['a joiner after a word-final virama stays', 'मनोज्\u200d कुमार', '', 'मनोज्\u200d कुमार'],
    ['a joiner after a virama that ends the text is shown', 'मनोज्\u200d', '', 'मनोज्\\u{200d}'],
  ])('%s', (_, text, keep, shown) => {
    expect(escapeControlChars(text, keep)).toBe(shown);
  });

  // Input refuses exactly what output shows escaped: a joiner that shapes a script or an emoji is text.
  it.each([
    ['a Persian reason with its non-joiner', 'به\u200cروزرسانی سیاست بازپرداخت', undefined],
    ['an emoji family', 'ship it 👨\u200d👩\u200d👧', undefined],
    ['a rainbow flag', '🏳\ufe0f\u200d🌈', undefined],
    ['a Devanagari name with a word-final half form', 'मनोज्\u200d कुमार', undefined],
    ['a joiner between ASCII letters', 'bob\u200dsmith', 'U+200D'],
    ['a non-joiner between ASCII letters', 'bob\u200csmith', 'U+200C'],
    ['a leading joiner', '\u200d👍', 'U+200D'],
    ['a trailing joiner', '👍\u200d', 'U+200D'],
    ['a lone joiner', '\u200c', 'U+200C'],
    ['a joiner after a virama at the end', 'मनोज्\u200d', 'U+200D'],
    ['a joiner before a space with no virama', 'کتاب\u200c ها', 'U+200C'],
    ['a right-to-left override after a kept joiner', 'به\u200cروز \u202eabc', 'U+202E'],
    ['a zero-width space between letters of a script', 'به\u200bروز', 'U+200B'],
    // Only scripts that shape with joiners keep them: elsewhere `и\u200dван` prints as `иван`, another actor.
    ['a joiner between Cyrillic letters', 'и\u200dван', 'U+200D'],
    ['a non-joiner between Latin letters beyond ASCII', 'ü\u200cß', 'U+200C'],
    ['a non-joiner between Greek letters', 'Ελ\u200cλάδα', 'U+200C'],
    ['a joiner between Han characters', '日\u200d本', 'U+200D'],
    ['a joiner between an emoji and a Latin letter', '👍\u200dé', 'U+200D'],
    // A joiner is refused unless the character before it joins too, whatever follows it.
    ['a joiner between an ASCII letter and a Cyrillic one', 'admin\u200dа', 'U+200D'],
    ['a joiner between an ASCII letter and an Arabic one', 'admin\u200dب', 'U+200D'],
    ['a non-joiner between an ASCII letter and a Devanagari one', 'admin\u200cक', 'U+200C'],
    ['a joiner between an ASCII letter and an emoji', 'admin\u200d👍', 'U+200D'],
    ['a Malayalam chillu with its joiner', 'അവന്\u200d', 'U+200D'],
    ['a Malayalam chillu inside a word', 'അവന്\u200dറെ', undefined],
    ['a Bengali ya-phala with its joiner', 'র\u200d্য', undefined],
    ['a Sinhala conjunct', 'ශ්\u200dරී', undefined],
    ['an Arabic non-joiner', 'عربي\u200cة', undefined],
  ])('findInvisibleChar: %s', (_, text, found) => {
    expect(findInvisibleChar(text)).toBe(found);
    // The same rule on output: what input accepts is printed as is, what it refuses is shown.
    expect(escapeControlChars(text) === text).toBe(found === undefined);
  });

  // The C1 controls (U+0080-U+009F) too: U+009B is a one-character CSI, an escape sequence on many terminals.
  it.each<[string, string, string]>([
    ['the first C1 control', 'a\u0080b', '\\x80 (U+0080)'],
    ['CSI, the C1 escape-sequence start', 'red: \u009b31m', '\\x9b (U+009B)'],
    ['the last C1 control', 'a\u009fb', '\\x9f (U+009F)'],
  ])('findFileControlChar finds %s', (_, text, char) => {
    expect(findFileControlChar({ messages: [{ content: text }] })).toEqual({ at: ['messages', 0, 'content'], char });
    expect(findFileControlChar({ [text]: 'key' })).toEqual({ at: [text], char });
  });

  it('findFileControlChar keeps newline, tab, CR and the letters just past the C1 range', () => {
    expect(findFileControlChar({ content: 'a\n\tb\r\n\u00a0\u00ff' })).toBeUndefined();
  });

  it('history shows an actor and a reason stored by 0.1 with invisible characters escaped', () => {
    const event = { seq: 1, at: '2026-12-05T12:00:00.000Z', env: 'production', promptId: 'p', version: '1.0.0', previousVersion: null, action: 'deploy' as const, actor: 'bob\u200bsmith', reason: 'ok \u202eevil', prevHash: 'a', hash: 'b' };
    expect(historyText({ events: [event], previousServed: [undefined], warnings: [] } as never)[0]).toMatch(/ by bob\\u\{200b\}smith: ok \\u\{202e\}evil$/);
  });
});

/**
 * Data shown where a difference must not hide (a case's inputs and outputs): once anything is shown
 * escaped, the text's own backslashes are doubled, so a real ESC (`\e`) reads apart from a typed
 * backslash-e (`\\e`). Text with nothing to escape reads as it is.
 */
describe('escapeDistinctly', () => {
  it.each([
    ['plain text', 'alice: ok', '', 'alice: ok'],
    ['backslashes and nothing to escape stay as typed', 'C:\\temp\\new \\e[31m', '', 'C:\\temp\\new \\e[31m'],
    ['a real escape beside a typed one', 'real \u001b[31m / literal \\e[31m', '', 'real \\e[31m / literal \\\\e[31m'],
    ['a typed \\x07 beside a bell', '\u0007 \\x07', '', '\\x07 \\\\x07'],
    ['a typed \\u{202e} beside an override', '\u202e \\u{202e}', '', '\\u{202e} \\\\u{202e}'],
    ['two typed backslashes beside a newline', 'a\\\\n\nb', '', 'a\\\\\\\\n\\nb'],
    ['only kept characters: nothing escaped, backslashes as typed', 'a\\n\n\tb', '\n\t', 'a\\n\n\tb'],
    ['a kept newline and an escape: backslashes doubled', 'a\\n\n\u001b', '\n', 'a\\\\n\n\\e'],
    ['a joiner that shapes its script is not an escape', 'क्\u200dष \\', '', 'क्\u200dष \\'],
    ['a joiner between ASCII letters is', 'bob\u200dsmith \\', '', 'bob\\u{200d}smith \\\\'],
  ])('%s', (_, text, keep, shown) => {
    expect(escapeDistinctly(text, keep)).toBe(shown);
  });

  it('without a backslash of its own, it shows what escapeControlChars shows', () => {
    for (const text of ['a\nb\u001b[31m', '\u0007\u009b', 'ok \u202eevil', 'plain']) expect(escapeDistinctly(text)).toBe(escapeControlChars(text));
  });
});
