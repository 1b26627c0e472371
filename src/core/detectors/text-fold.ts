/**
 * The one text folding the detectors match on: a normalisation that remembers where each character
 * came from, so a match in folded text can be shown in the original. Pure string work.
 */
/** Zero-width and invisible formatting characters that attackers use to split words. */
function isInvisible(cp: number): boolean {
  return (cp >= 0x200b && cp <= 0x200f) || cp === 0x2060 || cp === 0xfeff || cp === 0x00ad || cp === 0x180e;
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
}

/**
 * The one normalisation every detector matches on: NFKC (full-width and other compatibility
 * forms), typographic quotes and dashes folded (U+2011 and the en dash become '-'), Unicode spaces
 * as ' ' and invisible characters dropped, remembering where each character came from. Both sides
 * of a comparison are folded alike, so a Russian or Greek text still matches itself.
 */
export function foldWithOffsets(source: string, opts: FoldOptions): NormalizedText {
  let text = '';
  const offsets: number[] = [];
  let pendingSpaceAt = -1;
  for (let i = 0; i < source.length; ) {
    const cp = source.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    if (isInvisible(cp)) {
      i += width;
      continue;
    }
    if (isSpace(cp)) {
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
    const ch = source.slice(i, i + width);
    // ASCII is the common case; skip the comparatively slow Unicode normalisation for it.
    const folded = cp < 0x80 ? ch : (PUNCTUATION_FOLD[ch] ?? ch.normalize('NFKC'));
    const lower = opts.lowercase ? folded.toLowerCase() : folded;
    const mapped = opts.lookAlikes && cp >= 0x370 ? (LOOK_ALIKES[lower] ?? lower) : lower;
    for (let k = 0; k < mapped.length; k++) offsets.push(i);
    text += mapped;
    i += width;
  }
  return { text, offsets };
}

/** The source span [start, end) that produced `text.slice(from, to)` of a folded text. */
export function sourceSpan(source: string, n: NormalizedText, from: number, to: number): { start: number; end: number } {
  const start = n.offsets[from] ?? source.length;
  const last = n.offsets[Math.max(from, to - 1)] ?? start;
  return { start, end: last + ((source.codePointAt(last) ?? 0) > 0xffff ? 2 : 1) };
}

/** Lowercased fold with whitespace runs collapsed and look-alikes read as Latin: how the leak scan and markers compare text. */
export function normalizeWithOffsets(source: string): NormalizedText {
  return foldWithOffsets(source, { lowercase: true, collapseWhitespace: true, lookAlikes: true });
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
