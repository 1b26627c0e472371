import { eastAsianWidth } from 'get-east-asian-width';

/**
 * Terminal columns, as wcwidth-based terminals draw text: a character is 0 columns (a combining
 * mark, a format character), 2 (East Asian Wide or Fullwidth, which holds every character drawn as
 * an emoji by default: ✅ ⭐ 🚀 🫠) or 1; a grapheme cluster drawn as one emoji picture (a flag, a
 * family joined by ZWJ, ❤️ with its variation selector, a keycap, a skin tone) is 2 as a whole.
 * Any other cluster is the sum of its characters, so a Devanagari conjunct (`स्ते`: 2) and a
 * spacing vowel sign (`का`: 2) take the columns the terminal gives them.
 */

// Made on first use: creating it loads ICU's break rules (10-20 ms), and the text of nearly every
// table cell never needs it (ONE_COLUMN_EACH).
let segmenter: Intl.Segmenter | undefined;
export function graphemes(s: string): Iterable<{ segment: string }> {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return segmenter.segment(s);
}

/**
 * Text whose every UTF-16 unit is a whole character one column wide: printable ASCII, Latin,
 * Greek and Cyrillic letters without combining marks, and the punctuation, arrows, symbols and
 * box drawing tables use (—, ·, ±, Δ, ✓, →). Its width is its length, without segmenting it. The
 * symbol blocks (U+2100–U+2BFF) also hold emoji drawn two columns wide (✅ ❌ ⭐ ⌚), two wide
 * angle brackets and the wide trigrams and digrams: text holding one of those (WIDE_SYMBOL) is
 * measured the long way. A test holds every character of the fast path to the full rule.
 */
const ONE_COLUMN_EACH = /^[\x20-\x7e\u00a0-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u2070-\u20cf\u2100-\u2bff]*$/;
const WIDE_SYMBOL = /[\p{Emoji_Presentation}\u2329\u232a\u2630-\u2637\u268a-\u268f]/u;
const SYMBOL_BLOCKS = /[\u2100-\u2bff]/;
export function isOneColumnEach(s: string): boolean {
  return ONE_COLUMN_EACH.test(s) && !(SYMBOL_BLOCKS.test(s) && WIDE_SYMBOL.test(s));
}

/**
 * A cluster drawn as one emoji picture: one that starts with a character drawn as an emoji by
 * default (a regional indicator, so a flag pair too), a pictograph asked to be one by VS16 or
 * joined to another by ZWJ, or a keycap.
 */
const PICTURE = /^(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}(?:\ufe0f|\u200d)|[#*0-9]\ufe0f?\u20e3)/u;

/**
 * No column: combining marks (Mn, Me), format characters (Cf: joiners, direction marks) bar the
 * soft hyphen, which terminals draw, and the medial vowels and final consonants of Hangul jamo,
 * which join the leading consonant's two columns.
 */
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}\u1160-\u11ff\u200b]/u;

function characterWidth(c: string): number {
  if (c !== '\u00ad' && ZERO_WIDTH.test(c)) return 0;
  return eastAsianWidth(c.codePointAt(0)!);
}

/** Columns one grapheme cluster takes. */
export function graphemeWidth(g: string): number {
  // Most clusters of mixed text are one Latin letter, digit or space: skip the Unicode tables.
  if (g.length === 1 && g < '\u0300') return 1;
  if (PICTURE.test(g)) return 2;
  let w = 0;
  for (const c of g) w += characterWidth(c);
  return w;
}

/**
 * Text in which every character is a grapheme cluster of its own: no mark, joiner, variation
 * selector, prepended format character, Hangul jamo, Thai or Lao AM, halfwidth sound mark or
 * character outside the BMP (emoji, regional indicators, skin tones); a test checks every BMP
 * character it admits against Intl.Segmenter. Segmenting it (ICU, most of what measuring costs) would change nothing,
 * so CJK, Cyrillic or Arabic text without marks is summed character by character.
 */
const SINGLE_CHARACTER_CLUSTERS = /^[^\p{M}\u200c\u200d\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u0d4e\u0e33\u0eb3\u1100-\u11ff\ua960-\ua97f\ud7b0-\udfff\uff9e\uff9f\u{10000}-\u{10ffff}]*$/u;
export function isSingleCharacterClusters(s: string): boolean {
  return SINGLE_CHARACTER_CLUSTERS.test(s);
}

/** Terminal columns taken by `s` (which must already be free of control characters). */
export function displayWidth(s: string): number {
  if (isOneColumnEach(s)) return s.length;
  let w = 0;
  if (isSingleCharacterClusters(s)) {
    for (let i = 0; i < s.length; i++) w += graphemeWidth(s[i]!);
    return w;
  }
  for (const { segment } of graphemes(s)) w += graphemeWidth(segment);
  return w;
}
