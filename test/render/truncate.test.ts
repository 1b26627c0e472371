import { describe, expect, it } from 'vitest';
import { oneLine, truncate } from '../../src/render/text.js';

/** truncate cuts between characters: a family emoji or an accented letter is kept whole or left out. */
describe('truncate', () => {
  it.each<[string, string, number, string]>([
    ['ASCII, as before', 'How long do I have for a refund?', 10, 'How long …'],
    ['short text is kept', 'café', 10, 'café'],
    ['a combining accent is not dropped from its letter', 'cafe\u0301 ouvert', 5, 'caf…'],
    ['a family emoji is not cut to two people', 'ok 👨‍👩‍👧‍👦 fine', 6, 'ok …'],
    ['a skin tone stays with its emoji', 'ab👍🏽cd', 4, 'ab…'],
    ['a character longer than the room, with nothing before it, is kept whole', '👨‍👩‍👧‍👦 family', 5, '👨‍👩‍👧‍👦…'],
  ])('%s', (_, text, max, cut) => expect(truncate(text, max)).toBe(cut));

  it('oneLine cuts the same way', () => expect(oneLine('Voilà: re\u0301sume\u0301 complet', 10)).toBe('Voilà: r…'));
});
