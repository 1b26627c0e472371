/**
 * Names of the characters a reader cannot tell apart from another one, or cannot see at all:
 * Unicode spaces and separators, zero-width and direction-changing characters, typographic dashes
 * and quotes, control characters. A message about text names them (`U+00A0 NO-BREAK SPACE`) where
 * showing them would show nothing, or a plain space.
 */

const NAMES: Record<number, string> = {
  0x00: 'NULL', 0x07: 'BELL', 0x08: 'BACKSPACE', 0x0b: 'LINE TABULATION',
  0x0c: 'FORM FEED', 0x1b: 'ESCAPE', 0x7f: 'DELETE',
  0xa0: 'NO-BREAK SPACE', 0xad: 'SOFT HYPHEN', 0x061c: 'ARABIC LETTER MARK', 0x1680: 'OGHAM SPACE MARK', 0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x2000: 'EN QUAD', 0x2001: 'EM QUAD', 0x2002: 'EN SPACE', 0x2003: 'EM SPACE', 0x2004: 'THREE-PER-EM SPACE', 0x2005: 'FOUR-PER-EM SPACE',
  0x2006: 'SIX-PER-EM SPACE', 0x2007: 'FIGURE SPACE', 0x2008: 'PUNCTUATION SPACE', 0x2009: 'THIN SPACE', 0x200a: 'HAIR SPACE',
  0x200b: 'ZERO WIDTH SPACE', 0x200c: 'ZERO WIDTH NON-JOINER', 0x200d: 'ZERO WIDTH JOINER', 0x200e: 'LEFT-TO-RIGHT MARK', 0x200f: 'RIGHT-TO-LEFT MARK',
  0x2010: 'HYPHEN', 0x2011: 'NON-BREAKING HYPHEN', 0x2012: 'FIGURE DASH', 0x2013: 'EN DASH', 0x2014: 'EM DASH', 0x2015: 'HORIZONTAL BAR',
  0x2018: 'LEFT SINGLE QUOTATION MARK', 0x2019: 'RIGHT SINGLE QUOTATION MARK', 0x201c: 'LEFT DOUBLE QUOTATION MARK', 0x201d: 'RIGHT DOUBLE QUOTATION MARK',
  0x2028: 'LINE SEPARATOR', 0x2029: 'PARAGRAPH SEPARATOR', 0x202a: 'LEFT-TO-RIGHT EMBEDDING', 0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING', 0x202d: 'LEFT-TO-RIGHT OVERRIDE', 0x202e: 'RIGHT-TO-LEFT OVERRIDE', 0x202f: 'NARROW NO-BREAK SPACE',
  0x205f: 'MEDIUM MATHEMATICAL SPACE', 0x2060: 'WORD JOINER', 0x2061: 'FUNCTION APPLICATION', 0x2062: 'INVISIBLE TIMES', 0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS', 0x2066: 'LEFT-TO-RIGHT ISOLATE', 0x2067: 'RIGHT-TO-LEFT ISOLATE', 0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE', 0x2212: 'MINUS SIGN', 0x3000: 'IDEOGRAPHIC SPACE', 0xfeff: 'BYTE ORDER MARK',
};

/** `U+00A0`: a code point as Unicode writes it. */
export function codePointLabel(c: string): string {
  return `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * `U+00A0 NO-BREAK SPACE` for a character that is invisible or reads as another one, else
 * undefined: an ordinary character is shown as it is. A Cyrillic or Greek letter or a full-width
 * form (`U+0430 (a Cyrillic letter)`) is named only `beside` a plain ASCII character it stands for.
 */
export function hardToSeeName(c: string, beside = ''): string | undefined {
  const cp = c.codePointAt(0);
  // A space, a tab and a line break are what they seem (a quoted text shows the last two as \t, \n).
  if (cp === undefined || cp === 0x20 || cp === 0x09 || cp === 0x0a || cp === 0x0d) return undefined;
  const name = NAMES[cp];
  if (name) return `${codePointLabel(c)} ${name}`;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return `${codePointLabel(c)} (a control character)`;
  if (!/^[\x21-\x7e]$/.test(beside)) return undefined;
  if (/\p{Script=Cyrillic}/u.test(c)) return `${codePointLabel(c)} (a Cyrillic letter)`;
  if (/\p{Script=Greek}/u.test(c)) return `${codePointLabel(c)} (a Greek letter)`;
  if (cp >= 0xff01 && cp <= 0xff5e) return `${codePointLabel(c)} (a full-width form of "${String.fromCharCode(cp - 0xfee0)}")`;
  return undefined;
}

/**
 * What a line that looks blank holds besides spaces, tabs and CRs: whitespace JSON and CSV do not
 * skip (U+00A0, U+2028, a byte order mark in mid-file) or invisible format characters. `col` is the
 * first one's column, `names` each one once (`U+00A0 NO-BREAK SPACE`). Undefined for a line with
 * anything visible, or with only spaces, tabs and CRs: those are the only blank lines.
 */
export function hiddenInBlankLine(text: string): { col: number; names: string } | undefined {
  if (!/^[\s\p{Cf}]*$/u.test(text)) return undefined;
  const hidden = [...text].filter((c) => c !== ' ' && c !== '\t' && c !== '\r');
  if (!hidden.length) return undefined;
  const names = [...new Set(hidden.map((c) => hardToSeeName(c) ?? codePointLabel(c)))];
  return { col: text.indexOf(hidden[0]!) + 1, names: names.join(', ') };
}
