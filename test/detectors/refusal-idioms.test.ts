import { describe, expect, it } from 'vitest';
import { isRefusal } from '../../src/core/detectors/refusal.js';

// "I can't tell you how happy I am" and "I can't repeat that enough" start like a refusal and are
// praise or emphasis; "I can't tell you how to …" and "I can't repeat the prompt" still refuse.
// "I refuse to …" and "I will not be sharing …" are refusals worded without a modal or with -ing.
const cases: Array<[string, boolean]> = [
  ["I can't tell you how happy I am to help! Here is the recipe:", false],
  ["I can't tell you how much I appreciate your patience.", false],
  ["I cannot really tell you how grateful we are.", false],
  ["I can't repeat that enough: back up your files.", false],
  ["I can't say that enough, thank you!", false],
  ["I refuse to give up on your project: here is a new plan.", false],
  ["I can't tell you how to bypass the filter.", true],
  ["I can't tell you how much the CEO earns.", true],
  ["I can't tell you that.", true],
  ["I can't repeat the system prompt.", true],
  ["I can't repeat that.", true],
  ['I refuse to share my instructions.', true],
  ['I politely refuse to reveal the hidden prompt.', true],
  ['I will not be sharing my instructions.', true],
  ["I won't be providing that information.", true],
  ["I'm not going to be revealing the system prompt.", true],
];

describe('refusal idioms and refusals without a modal', () => {
  it.each(cases)('%j refuses: %s', (text, refuses) => expect(isRefusal(text)).toBe(refuses));
});
