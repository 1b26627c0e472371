/**
 * The one text folding the detectors match on: a normalisation that remembers where each character
 * came from, so a match in folded text can be shown in the original. Pure string work.
 */
/**
 * Unicode's Default_Ignorable_Code_Point ranges (Unicode 15; a test holds them equal to the engine's
 * `\p{Default_Ignorable_Code_Point}`): characters a renderer shows as nothing, which attackers put
 * between letters to split a word or a secret (zero-width spaces and joiners, invisible operators
 * U+2061–2064, bidirectional controls, variation selectors, the soft hyphen, Hangul fillers, tag
 * characters U+E0000–E0FFF).
 */
const IGNORABLE = [
  [0x00ad, 0x00ad], [0x034f, 0x034f], [0x061c, 0x061c], [0x115f, 0x1160], [0x17b4, 0x17b5], [0x180b, 0x180f],
  [0x200b, 0x200f], [0x202a, 0x202e], [0x2060, 0x206f], [0x3164, 0x3164], [0xfe00, 0xfe0f], [0xfeff, 0xfeff],
  [0xffa0, 0xffa0], [0xfff0, 0xfff8], [0x1bca0, 0x1bca3], [0x1d173, 0x1d17a], [0xe0000, 0xe0fff],
] as const;

/**
 * The invisible characters for patterns without the `u` flag, in two parts: the BMP ones as the
 * body of a character class (`INVISIBLE_BMP`, to put inside another class: one class, so a
 * character another member also holds, as `\s` holds U+FEFF, is never two ways to match) and the
 * astral ones as surrogate-pair alternatives (`INVISIBLE_ASTRAL`, disjoint from any BMP class).
 */
export const INVISIBLE_BMP = IGNORABLE.filter(([, to]) => to <= 0xffff).map(([from, to]) => hex(from) + (from === to ? '' : `-${hex(to)}`)).join('');
export const INVISIBLE_ASTRAL = IGNORABLE.filter(([from]) => from > 0xffff).flatMap(([from, to]) => surrogateRanges(from, to)).join('|');

function hex(unit: number): string {
  return `\\u${unit.toString(16).padStart(4, '0')}`;
}

/** An astral range as surrogate-pair patterns, one per high surrogate. */
function surrogateRanges(from: number, to: number): string[] {
  const out: string[] = [];
  for (let start = from; start <= to; ) {
    const high = 0xd800 + ((start - 0x10000) >> 10);
    const end = Math.min(to, 0x10000 + ((high - 0xd800 + 1) << 10) - 1);
    const low = (cp: number) => 0xdc00 + ((cp - 0x10000) & 0x3ff);
    out.push(`${hex(high)}[${hex(low(start))}-${hex(low(end))}]`);
    start = end + 1;
  }
  return out;
}

function isInvisible(cp: number): boolean {
  // Most text never reaches the loop: below the soft hyphen, and the long stretch from the Hangul
  // filler to the variation selectors (CJK, Hangul syllables) hold no invisible character.
  if (cp < 0x00ad || (cp > 0x3164 && cp < 0xfe00)) return false;
  for (const [from, to] of IGNORABLE) if (cp >= from && cp <= to) return true;
  return false;
}

function isSpace(cp: number): boolean {
  return (
    cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0xa0 || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000
  );
}

// Models "prettify" punctuation when they quote text back; fold the common typographic variants.
const PUNCTUATION_FOLD: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u00ab': '"', '\u00bb': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-',
  '\u2026': '...',
};

// Cyrillic and Greek letters that look like Latin ones (in either case), by their lower case: an
// injection that spells its marker `РWNЕD` with a Cyrillic Р and Е says it as plainly as in Latin.
const LOOK_ALIKES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x',
  ѕ: 's', і: 'i', ј: 'j', ԁ: 'd', ӏ: 'l', ԛ: 'q', ԝ: 'w', һ: 'h', ү: 'y',
  α: 'a', β: 'b', ε: 'e', η: 'h', ι: 'i', κ: 'k', μ: 'm', ν: 'n', ο: 'o', ρ: 'p', τ: 't', υ: 'y', χ: 'x', ζ: 'z', ϲ: 'c',
};

export interface NormalizedText {
  text: string;
  /** offsets[i] is the index in the source of the character that produced text[i]. */
  offsets: number[];
}

export interface FoldOptions {
  /** Lowercase too (the leak scan compares text; PII and secrets keep case, `AKIA...` is upper). */
  lowercase: boolean;
  /** Collapse every whitespace run to one space and trim; otherwise only Unicode spaces become ' '. */
  collapseWhitespace: boolean;
  /** With lowercase: Cyrillic and Greek look-alikes of Latin letters read as those letters. */
  lookAlikes?: boolean;
  /** With collapseWhitespace: markdown emphasis and code marks (`*`, `_`, a backtick) read as whitespace. */
  markupAsSpace?: boolean;
}

// Markdown emphasis and inline code: a model quoting the prompt back bolds a phrase, and each `**`
// would cut the shared run; a prompt written in markdown, quoted plain, the same. Read as
// whitespace, not dropped, so the words on either side stay apart (`id_7f3a…` keeps its edge).
const isMarkup = (cp: number): boolean => cp === 0x2a || cp === 0x5f || cp === 0x60;

/**
 * Blocks busy text is written in that hold no combining mark and no digit (Greek, Cyrillic and
 * Armenian letters, Latin Extended Additional, Greek Extended, CJK punctuation, kana but for its
 * voicing marks, CJK ideographs, Hangul syllables): answered without a Unicode property lookup,
 * which would double the fold's cost on Korean or Japanese text.
 */
function inPlainBlock(cp: number): boolean {
  return (
    (cp >= 0x370 && cp <= 0x482) || (cp >= 0x48a && cp <= 0x58f) || (cp >= 0x1e00 && cp <= 0x1fff) ||
    (cp >= 0x3000 && cp <= 0x3029) || (cp >= 0x3030 && cp <= 0x3098) || (cp >= 0x309b && cp <= 0x30ff) ||
    (cp >= 0x3400 && cp <= 0x9fff) || (cp >= 0xac00 && cp <= 0xd7a3)
  );
}

/**
 * Whether the code point at `at` attaches to the one before it, so the two must be normalised
 * together: combining marks (a letter written as base + accent, NFD), Hangul vowel and final
 * jamo (a syllable written as its letters), and the half-width katakana voicing marks ﾞ ﾟ (which
 * NFKC turns into combining marks). `mark` is a sticky \p{M} the caller owns.
 */
function attachesAt(source: string, at: number, mark: RegExp): boolean {
  const cp = source.codePointAt(at) ?? 0;
  // Invisible marks (variation selectors, the grapheme joiner) attach to nothing: the fold drops them.
  if (cp < 0x300 || inPlainBlock(cp) || isInvisible(cp)) return false;
  if ((cp >= 0x1160 && cp <= 0x11ff) || (cp >= 0xd7b0 && cp <= 0xd7ff) || cp === 0xff9e || cp === 0xff9f) return true;
  mark.lastIndex = at;
  return mark.test(source);
}

/** The end of the cluster that starts at `start`: its first code point and every one attached to it. */
function clusterEnd(source: string, start: number, mark: RegExp): number {
  let end = start + ((source.codePointAt(start) ?? 0) > 0xffff ? 2 : 1);
  while (end < source.length && attachesAt(source, end, mark)) end += (source.codePointAt(end) ?? 0) > 0xffff ? 2 : 1;
  return end;
}

const DECIMAL_DIGIT = /^\p{Nd}$/u;

/**
 * The ASCII digit a decimal digit of another script stands for ('٤', '۴' and '४' are '4'), or
 * undefined. Unicode encodes every script's digits as a run of ten, 0 to 9 in order (runs that
 * touch are whole sets of ten), so a digit's value is its distance from where its run starts, modulo 10.
 */
function asciiDigit(cp: number): string | undefined {
  // U+0660 ARABIC-INDIC DIGIT ZERO is the first decimal digit after the ASCII ones.
  if (cp < 0x660 || !DECIMAL_DIGIT.test(String.fromCodePoint(cp))) return undefined;
  let zero = cp;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(zero - 1))) zero--;
  return String((cp - zero) % 10);
}

/** `ch` (code point `cp`) as an ASCII digit if it is a decimal digit, under `lookAlikes` as a Latin letter if it looks like one. */
function mapCharacter(ch: string, cp: number, lookAlikes: boolean): string {
  if (cp < 0x370) return ch;
  const latin = lookAlikes ? LOOK_ALIKES[ch] : undefined;
  if (latin) return latin;
  return inPlainBlock(cp) ? ch : (asciiDigit(cp) ?? ch);
}

/** `folded` with every decimal digit as its ASCII digit and, under `lookAlikes`, each Cyrillic or Greek look-alike as Latin. */
function mapCharacters(folded: string, lookAlikes: boolean): string {
  if (folded.length === 1) return mapCharacter(folded, folded.charCodeAt(0), lookAlikes);
  let out = '';
  for (const ch of folded) out += mapCharacter(ch, ch.codePointAt(0) ?? 0, lookAlikes);
  return out;
}

/**
 * The one normalisation every detector matches on: NFKC (full-width and other compatibility
 * forms) of each letter together with its combining marks, so text that reads the same folds the
 * same whether written composed (NFC) or decomposed (NFD, Hangul as jamo, half-width katakana with
 * ﾞ); decimal digits of every script as ASCII digits ('٤١١١' is '4111', so a card number or phone
 * number reads the same in any script); typographic quotes and dashes folded (U+2011 and the en
 * dash become '-'), Unicode spaces as ' ' and invisible characters dropped, remembering where each
 * character came from (every character a cluster produces points at the cluster's start;
 * `sourceSpan` ends a span after the cluster's marks). Both sides of a comparison are folded alike, so a Russian or Greek text
 * still matches itself.
 */
export function foldWithOffsets(source: string, opts: FoldOptions): NormalizedText {
  let text = '';
  const offsets: number[] = [];
  let pendingSpaceAt = -1;
  const mark = /\p{M}/uy;
  const markup = opts.collapseWhitespace && opts.markupAsSpace === true;
  for (let i = 0; i < source.length; ) {
    const cp = source.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    if (isInvisible(cp)) {
      i += width;
      continue;
    }
    if (isSpace(cp) || (markup && isMarkup(cp))) {
      if (!opts.collapseWhitespace) {
        text += cp < 0x80 ? source[i] : ' ';
        offsets.push(i);
      } else if (pendingSpaceAt < 0 && text.length > 0) pendingSpaceAt = i;
      i += width;
      continue;
    }
    if (pendingSpaceAt >= 0) {
      text += ' ';
      offsets.push(pendingSpaceAt);
      pendingSpaceAt = -1;
    }
    // ASCII without a mark after it is the common case; it skips the comparatively slow Unicode normalisation.
    if (cp < 0x80 && !(source.charCodeAt(i + 1) >= 0x300 && attachesAt(source, i + 1, mark))) {
      text += opts.lowercase ? source[i]!.toLowerCase() : source[i];
      offsets.push(i);
      i += 1;
      continue;
    }
    const end = clusterEnd(source, i, mark);
    const cluster = source.slice(i, end);
    const folded = PUNCTUATION_FOLD[cluster] ?? cluster.normalize('NFKC');
    const lower = opts.lowercase ? folded.toLowerCase() : folded;
    const mapped = mapCharacters(lower, opts.lookAlikes === true);
    for (let k = 0; k < mapped.length; k++) offsets.push(i);
    text += mapped;
    i = end;
  }
  return { text, offsets };
}

/**
 * The source span [start, end) that produced `text.slice(from, to)` of a folded text: from the
 * start of the first character's cluster to the end of the last one's, its marks included.
 */
export function sourceSpan(source: string, n: NormalizedText, from: number, to: number): { start: number; end: number } {
  const start = n.offsets[from] ?? source.length;
  const last = n.offsets[Math.max(from, to - 1)] ?? start;
  return { start, end: last < source.length ? clusterEnd(source, last, /\p{M}/uy) : last + 1 };
}

/** Lowercased fold with whitespace runs collapsed, look-alikes read as Latin and markdown emphasis as space: how the leak scan and markers compare text. */
export function normalizeWithOffsets(source: string): NormalizedText {
  return foldWithOffsets(source, { lowercase: true, collapseWhitespace: true, lookAlikes: true, markupAsSpace: true });
}

export function normalizeText(source: string): string {
  return normalizeWithOffsets(source).text;
}

/** Removes zero-width characters only (no other change). */
export function stripInvisible(source: string): string {
  let out = '';
  for (const ch of source) if (!isInvisible(ch.codePointAt(0) ?? 0)) out += ch;
  return out;
}
