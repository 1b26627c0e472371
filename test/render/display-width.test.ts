import { describe, expect, it } from 'vitest';
import { cutMiddle, displayWidth, fitWidth, padWidth, wrapWidth } from '../../src/render/table.js';

/**
 * Widths as a wcwidth-based terminal draws them: East Asian Wide and emoji-presentation characters
 * two columns, an emoji sequence (flag, ZWJ family, VS16, keycap, skin tone) two as a whole, marks
 * and format characters none, every other character of a cluster one (a Devanagari conjunct is the
 * sum of its letters; a spacing vowel sign takes its column).
 */
describe('displayWidth', () => {
  it.each([
    ['ASCII', 'abc', 3],
    ['CJK', '日本', 4],
    ['emoji with a skin tone', '👍🏽', 2],
    ['check and cross marks (U+2705, U+274C: emoji presentation in the symbol blocks)', '✅ done ❌', 10],
    ['a rocket (U+1F680, transport block)', '🚀 launch', 9],
    ['a flag (a regional indicator pair)', '🇯🇵', 2],
    ['three stars (U+2B50)', '⭐⭐⭐', 6],
    ['a melting face (U+1FAE0, Unicode 14)', '🫠', 2],
    ['a Devanagari word with a conjunct', 'नमस्ते', 4],
    ['a spacing vowel sign (Mc)', 'का', 2],
    ['a Devanagari conjunct with a joiner', 'क्\u200dष', 2],
    ['an emoji family joined by ZWJ', '👨\u200d👩\u200d👧', 2],
    ['a heart asked to be an emoji (VS16)', '❤️', 2],
    ['a heart as text', '❤', 1],
    ['a warning sign as text and as emoji', '⚠ ⚠️', 4],
    ['a keycap', '1️⃣', 2],
    ['a rainbow flag', '🏳️\u200d🌈', 2],
    ['symbols tables use', '— · ± Δ ✓ → ★', 13],
    ['a combining accent', 'e\u0301', 1],
    ['Hangul', '한국어', 6],
    ['a zero-width space', 'a\u200bb', 2],
    ['Thai with a tone mark', 'ก่า', 2],
  ])('%s', (_name, text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

describe('cutting at grapheme cluster boundaries', () => {
  it.each([
    ['fitWidth keeps a flag whole or leaves it out', () => fitWidth('ab🇯🇵🇫🇷cd', 5), 'ab🇯🇵…'],
    ['fitWidth never splits a family', () => fitWidth('👨\u200d👩\u200d👧 family', 3), '👨\u200d👩\u200d👧…'],
    ['fitWidth keeps a conjunct whole', () => fitWidth('नमस्ते दुनिया', 4), 'नम…'],
    ['cutMiddle keeps flags whole at both ends', () => cutMiddle('🇯🇵🇫🇷🇩🇪🇮🇹🇪🇸', 7), '🇯🇵…🇮🇹🇪🇸'],
    ['cutMiddle keeps a family whole', () => cutMiddle('👨\u200d👩\u200d👧-abcdefgh-👨\u200d👩\u200d👧', 7), '👨\u200d👩\u200d👧-…-👨\u200d👩\u200d👧'],
    ['padWidth pads emoji to the terminal width', () => padWidth('✅ ok', 6), '✅ ok '],
    ['wrapWidth moves a wide cluster that does not fit to the next line', () => wrapWidth('🇯🇵🇯🇵🇯🇵', 3, 3).join('|'), '🇯🇵|🇯🇵|🇯🇵'],
  ])('%s', (_name, cut, expected) => {
    expect(cut()).toBe(expected);
  });
});
