import { describe, expect, it } from 'vitest';
import { graphemeWidth, isOneColumnEach, isSingleCharacterClusters } from '../../src/render/display-width.js';

/** Text of one-column characters is measured by its length, unsegmented: that shortcut must never disagree with the rule. */
describe('displayWidth fast path', () => {
  it('the fast path (width = length) agrees with the full rule for every character it covers', () => {
    const wrong: string[] = [];
    for (let cp = 0x20; cp <= 0x2bff; cp++) {
      const c = String.fromCodePoint(cp);
      if (isOneColumnEach(c) && graphemeWidth(c) !== 1) wrong.push(`U+${cp.toString(16).toUpperCase()}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('text measured without segmenting', () => {
  it('holds only characters that are grapheme clusters of their own (every BMP character it admits)', () => {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const joined: string[] = [];
    for (let cp = 0x20; cp <= 0xffff; cp++) {
      const c = String.fromCodePoint(cp);
      if (cp === 0x7f || (cp >= 0x80 && cp < 0xa0) || !isSingleCharacterClusters(c)) continue;
      // Between two letters, and doubled, it must stand alone: nothing joins it to a neighbour.
      if ([...segmenter.segment(`a${c}${c}a`)].length !== 4) joined.push(`U+${cp.toString(16).toUpperCase()}`);
    }
    expect(joined).toEqual([]);
  });
});
