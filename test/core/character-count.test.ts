import { describe, expect, it } from 'vitest';
import { characterBoundary, characterCount, characterNumber, mayJoinCluster } from '../../src/core/character-count.js';

/**
 * characterCount counts in windows (V8 segments one long string in quadratic time) and without
 * segmenting text below U+0300: it must count what segmenting the whole string at once counts,
 * clusters across window edges included.
 */

/** The rule without windows: every cluster of the whole string, a long one counting per 10 code points. */
function reference(text: string): number {
  let n = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) {
    const points = [...segment].length;
    n += points <= 10 ? 1 : Math.ceil(points / 10);
  }
  return n;
}

const at = (text: string, edge: number) => 'x'.repeat(edge) + text;

describe('characterCount', () => {
  it.each<[string, string]>([
    ['empty', ''],
    ['ASCII', 'How long do I have for a refund?'],
    ['CR LF is one character, a lone CR or LF one each', 'a\r\nb\rc\nd\r\n\r\n'],
    ['Latin-1 and controls', 'café\u00ad\u0001naïve\u007f'],
    ['a combining accent', 'cafe\u0301 e\u0301'],
    ['emoji with modifiers, a family, a flag', '👍🏽 👨‍👩‍👧‍👦 🇫🇷 ok'],
    ['Hangul jamo and Devanagari', '\u1100\u1161\u11a8 नमस्ते'],
    ['a long run of ASCII with one accent', `${'ab '.repeat(2000)}e\u0301`],
    ['an accent across the first window edge', at('e\u0301\u0301 more', 510)],
    ['an accent just after the edge', at('e\u0301', 511)],
    ['a surrogate pair across the edge', at('😀😀😀', 511)],
    ['a flag across the edge', at('🇫🇷🇩🇪', 511)],
    ['a family across the edge', at('👨‍👩‍👧‍👦 x', 505)],
    // An accent at the end keeps it off the fast path below U+0300, so the windows are what count it.
    ['CR LF across the edge', `${at('\r\nz', 511)}e\u0301`],
    ['many windows of emoji', '👍🏽a'.repeat(900)],
    ['a letter with 30 marks', `a${'\u0301'.repeat(30)}b`],
    ['Cyrillic, Greek, CJK and Hangul syllables', 'Привет, κόσμε! 你好 世界 안녕하세요\r\n'],
    ['a Cyrillic combining titlo', 'Приве\u0483т'],
    ['a Hangul syllable and a trailing jamo', '가\u11a8나'],
    ['Thai with its vowel marks and AM', 'น้ำ ขอบคุณ'],
    ['a variation selector after a BMP emoji', '\u2764\ufe0f \u263a'],
  ])('%s', (_, text) => {
    expect(characterCount(text)).toBe(reference(text));
  });

  it('a cluster longer than a window counts about one per 10 code points, never fewer', () => {
    const text = `a${'\u0301'.repeat(3000)}`;
    expect(characterCount(text)).toBeGreaterThanOrEqual(reference(text));
    expect(characterCount(text)).toBeLessThanOrEqual(reference(text) + 7);
  });

  it('a 256 KB value with an accent is counted', () => {
    expect(characterCount(`${'x '.repeat(128 * 1024)}é\u0301`)).toBe(256 * 1024 + 1);
  });
});

/** The fast path of characterCount and characterBoundary: what it lets through never joins a cluster. */
describe('mayJoinCluster', () => {
  it('every BMP code point it lets through is a character of its own, next to itself, a letter or a Hangul syllable', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const joined: string[] = [];
    for (let cp = 0; cp <= 0xffff; cp++) {
      const c = String.fromCharCode(cp);
      if (mayJoinCluster(c)) continue;
      if ([...segmenter.segment(`a${c}${c}가${c}a`)].length !== 6) joined.push(cp.toString(16));
    }
    expect(joined).toEqual([]);
  });

  it.each<[string, boolean]>([
    ['Привет, κόσμε! 你好 안녕', false],
    ['e\u0301', true],
    ['👍', true],
    ['a\u200db', true],
    ['\u1100\u1161', true],
    ['น้ำ', true],
  ])('%j: %s', (text, joins) => expect(mayJoinCluster(text)).toBe(joins));
});

/** "at character N" in a reason: the character a UTF-16 index falls in, counted as characterCount counts. */
describe('characterNumber', () => {
  it.each<[string, string, number, number]>([
    ['the first character', 'abc', 0, 1],
    ['after emoji (two UTF-16 units each)', '👍👍👍 yes', 7, 5],
    ['a skin tone belongs to the emoji before it', 'ok 👍🏽', 5, 4],
    ['a combining accent belongs to its letter', 'cafe\u0301!', 4, 4],
    ['after a CR LF (one character)', 'a\r\nb', 3, 3],
    ['past the end: the character after the last', 'ab👍', 4, 4],
  ])('%s', (_, text, at, n) => expect(characterNumber(text, at)).toBe(n));
});

/** Where a cut may fall: between characters, found by segmenting only near the cut. */
describe('characterBoundary', () => {
  const FAMILY = '👨‍👩‍👧‍👦';
  it.each<[string, string, number, 'start' | 'end', number]>([
    ['ASCII: every index', 'hello', 2, 'start', 2],
    ['inside a family, back to its start', `ab${FAMILY}c`, 5, 'start', 2],
    ['inside a family, on past its end', `ab${FAMILY}c`, 5, 'end', 2 + FAMILY.length],
    ['between a letter and its accent', 'cafe\u0301!', 4, 'start', 3],
    ['between CR and LF', 'a\r\nb', 2, 'end', 3],
    ['inside the second of many flags', '🇫🇷'.repeat(100), 150, 'start', 148],
    ['far into a long text, inside a family', `${'x'.repeat(100000)}${FAMILY}`, 100003, 'start', 100000],
    ['the ends of the text', 'ab', 5, 'start', 2],
  ])('%s', (_, text, at, toward, boundary) => expect(characterBoundary(text, at, toward)).toBe(boundary));

  // Without segmenting (the fast path) or with it, every cut lands where segmenting the whole text would put it.
  it('every index of mixed text moves to the boundary full segmentation finds', () => {
    const text = `Привет 你好\r\n가\u11a8 น้ำ \u0d4eക \u06001 e\u0301 🇫🇷🇩🇪 👍🏽 ${FAMILY} κόσμε\u0300 안녕\u1100\u1161`;
    const starts = [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.index).concat(text.length);
    for (let at = 0; at <= text.length; at++) {
      const start = Math.max(...starts.filter((i) => i <= at));
      const end = at === start ? at : starts.find((i) => i > at);
      expect([at, characterBoundary(text, at, 'start'), characterBoundary(text, at, 'end')]).toEqual([at, start, end]);
    }
  });

  // Regional indicators pair from the start of their run: a cut far into a long run of flags
  // (segmented from a point inside it) must still fall between two flags.
  it.each<[string, string]>([
    ['a long run of flags', '🇫🇷🇩🇪🇮🇹'.repeat(60)],
    ['a long run of flags after one letter', `x${'🇫🇷🇩🇪🇮🇹'.repeat(60)}`],
  ])('%s: every cut falls between two flags', (_, text) => {
    const lead = text.startsWith('x') ? 1 : 0;
    const wrong: string[] = [];
    for (let at = lead; at <= text.length; at++) {
      for (const toward of ['start', 'end'] as const) {
        const b = characterBoundary(text, at, toward);
        if ((b - lead) % 4 !== 0 || Math.abs(b - at) >= 4) wrong.push(`${at} ${toward} → ${b}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});

