import { describe, expect, it } from 'vitest';
import { foldWithOffsets, INVISIBLE_ASTRAL, INVISIBLE_BMP, normalizeText, normalizeWithOffsets, sourceSpan, stripInvisible } from '../../src/core/detectors/text-fold.js';

const keepCase = { lowercase: false, collapseWhitespace: false };

describe('foldWithOffsets: text that reads the same folds the same', () => {
  // [label, one way of writing it, another way]
  it.each<[string, string, string]>([
    ['Latin letters with accents, NFD', 'café Müller'.normalize('NFD'), 'café Müller'],
    ['Vietnamese with stacked marks, NFD', 'Hoàn tiền được hỗ trợ'.normalize('NFD'), 'Hoàn tiền được hỗ trợ'],
    ['a Hangul syllable as its jamo', '환불은 구매 후'.normalize('NFD'), '환불은 구매 후'],
    ['kana and a combining voicing mark', '返金は購入後'.normalize('NFD'), '返金は購入後'],
    ['half-width katakana with ﾞ and ﾟ', 'ｻﾎﾟｰﾄﾃﾞｽ', 'サポートデス'],
    ['marks in another order (canonical reordering)', 'a\u0301\u0323', 'a\u0323\u0301'],
  ])('%s', (_label, one, other) => {
    expect(normalizeText(one)).toBe(normalizeText(other));
    expect(foldWithOffsets(one, keepCase).text).toBe(foldWithOffsets(other, keepCase).text);
  });

  it('keeps ASCII as it is, and a letter with a mark after it as one letter', () => {
    expect(foldWithOffsets('Plain ASCII, 42.', keepCase)).toEqual({ text: 'Plain ASCII, 42.', offsets: [...'Plain ASCII, 42.'].map((_, i) => i) });
    expect(foldWithOffsets('e\u0301a', keepCase)).toEqual({ text: 'éa', offsets: [0, 2] });
  });
});

describe('the invisible characters the fold drops', () => {
  // [name, code point]: each range's first and last code point, and each single one.
  it.each<[string, number]>([
    ['ZERO WIDTH SPACE (first of U+200B-U+200F)', 0x200b],
    ['ZERO WIDTH JOINER (inside U+200B-U+200F)', 0x200d],
    ['RIGHT-TO-LEFT MARK (last of U+200B-U+200F)', 0x200f],
    ['WORD JOINER', 0x2060],
    ['ZERO WIDTH NO-BREAK SPACE (BOM)', 0xfeff],
    ['SOFT HYPHEN', 0x00ad],
    ['MONGOLIAN VOWEL SEPARATOR', 0x180e],
  ])('drops %s', (_name, cp) => {
    const split = `PW${String.fromCodePoint(cp)}NED`;
    expect(foldWithOffsets(split, keepCase)).toEqual({ text: 'PWNED', offsets: [0, 1, 3, 4, 5] });
    expect(normalizeText(split)).toBe('pwned');
    expect(stripInvisible(split)).toBe('PWNED');
  });

  it('keeps the characters just outside those ranges', () => {
    // U+200A HAIR SPACE is a space (folded to one); U+2010 HYPHEN folds to '-'; U+205F is a space too.
    expect(foldWithOffsets('PW\u200aNED', keepCase).text).toBe('PW NED');
    expect(foldWithOffsets('PW\u2010NED', keepCase).text).toBe('PW-NED');
    expect(stripInvisible('PW\u200a\u2010\u2070NED')).toBe('PW\u200a\u2010\u2070NED');
  });
});

describe('sourceSpan over decomposed text', () => {
  // [label, source, the folded text searched for, the source span that must be reported]
  it.each<[string, string, string, string]>([
    ['a word ending in a combining mark', 'Sí, café.'.normalize('NFD'), 'café', 'café'.normalize('NFD')],
    ['a word starting after decomposed text', 'Ñandú y Müller'.normalize('NFD'), 'müller', 'Müller'.normalize('NFD')],
    ['a Hangul syllable written as jamo', '코드: 환불'.normalize('NFD'), '환불', '환불'.normalize('NFD')],
    ['half-width katakana with its voicing mark', 'ｺｰﾄﾞﾊ', 'コード', 'ｺｰﾄﾞ'],
  ])('%s', (_label, source, wanted, span) => {
    const n = normalizeWithOffsets(source);
    const from = n.text.indexOf(wanted);
    expect(from).toBeGreaterThanOrEqual(0);
    const { start, end } = sourceSpan(source, n, from, from + wanted.length);
    expect(source.slice(start, end)).toBe(span);
  });
});

describe('foldWithOffsets: decimal digits of every script are ASCII digits', () => {
  // [script, its digit zero]: each run of ten folds to 0123456789, one character per digit.
  it.each<[string, number]>([
    ['Arabic-Indic', 0x660],
    ['Persian (Extended Arabic-Indic)', 0x6f0],
    ['Devanagari', 0x966],
    ['Bengali', 0x9e6],
    ['Thai', 0xe50],
    ['Myanmar Shan', 0x1090],
    ['full-width (NFKC)', 0xff10],
    ['Adlam (outside the BMP)', 0x1e950],
    ['mathematical bold, one of five runs of ten that touch', 0x1d7ce + 20],
  ])('%s', (_script, zero) => {
    const digits = Array.from({ length: 10 }, (_, d) => String.fromCodePoint(zero + d)).join('');
    const folded = foldWithOffsets(` ${digits}.`, keepCase);
    expect(folded.text).toBe(' 0123456789.');
    const n = normalizeWithOffsets(digits);
    const { start, end } = sourceSpan(digits, n, 3, 5);
    expect(digits.slice(start, end)).toBe([...digits].slice(3, 5).join(''));
  });

  it('reads only decimal digits as digits: Roman numerals and fractions fold as NFKC has them, Han numerals stay', () => {
    expect(foldWithOffsets('Ⅻ 五 ¾', keepCase).text).toBe('XII 五 3⁄4');
  });
});

describe('invisible characters: every default-ignorable code point, and nothing else', () => {
  it('strips exactly what the engine calls Default_Ignorable_Code_Point, and the pattern matches the same set', () => {
    const engine = /^\p{Default_Ignorable_Code_Point}$/u;
    const pattern = new RegExp(`^(?:[${INVISIBLE_BMP}]|${INVISIBLE_ASTRAL})$`);
    const wrong: string[] = [];
    for (let cp = 0; cp <= 0x10ffff && wrong.length < 5; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      const ignorable = engine.test(ch);
      if ((stripInvisible(ch) === '') !== ignorable || pattern.test(ch) !== ignorable) wrong.push(cp.toString(16));
    }
    expect(wrong).toEqual([]);
  });

  it.each([
    ['invisible operators', '\u2061\u2062\u2063\u2064'],
    ['bidirectional controls', '\u202a\u202e\u2066\u2069'],
    ['variation selectors', '\ufe0f\u{e0100}'],
    ['tag characters', '\u{e0041}\u{e007f}'],
    ['a combining grapheme joiner and a Hangul filler', '\u034f\u3164'],
  ])('%s split no word', (_label, chars) => {
    const split = [...'PWNED'].join(chars);
    expect(normalizeText(split)).toBe('pwned');
  });
});
