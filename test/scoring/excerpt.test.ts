import { describe, expect, it } from 'vitest';
import { excerpt } from '../../src/core/scoring/excerpt.js';

/** Every character (grapheme cluster) of `part` is one of `whole`: no cut split one. */
function clusters(text: string): string[] {
  return [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.segment);
}
function splitsNothing(part: string, whole: string): void {
  const known = new Set(clusters(whole));
  expect(clusters(part.replace(/^…|…$/g, '')).filter((c) => !known.has(c))).toEqual([]);
}

const FAMILY = '👨‍👩‍👧‍👦';

describe('excerpt cuts between characters', () => {
  it.each<[string, string, number]>([
    // The hunt: a long family-emoji output cut to …👨‍👩‍… in the FAIL evidence.
    ['ZWJ families', FAMILY.repeat(40), 0],
    ['ZWJ families around a spot', `${FAMILY.repeat(30)} here ${FAMILY.repeat(30)}`, 330],
    ['flags', '🇫🇷🇩🇪🇮🇹'.repeat(40), 100],
    // Far into a long run of flags the cut is segmented from inside the run: pairs must not shift.
    ['a long run of flags', '🇫🇷🇩🇪🇮🇹'.repeat(60), 400],
    ['skin tones', '👍🏽'.repeat(80), 50],
    ['combining accents', 'e\u0301'.repeat(150), 77],
    ['Devanagari', 'नमस्ते '.repeat(40), 61],
  ])('%s', (_, text, at) => {
    for (const width of [20, 41, 120]) for (const spot of [at, at + 1, at + 3]) splitsNothing(excerpt(text, spot, width), text);
  });

  it('keeps ASCII cut as before: exactly `width` characters around the spot', () => {
    const text = 'abcdefghij'.repeat(30);
    expect(excerpt(text, 150, 30)).toBe(`…${text.slice(140, 170)}…`);
  });

  it('never cuts a surrogate pair', () => {
    const shown = excerpt('😀'.repeat(100), 51, 21);
    expect(shown).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});
