import { describe, expect, it } from 'vitest';
import { foldWithOffsets, normalizeText, normalizeWithOffsets, sourceSpan } from '../../src/core/detectors/text-fold.js';

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
