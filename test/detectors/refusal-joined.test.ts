import { describe, expect, it } from 'vitest';
import { isRefusal } from '../../src/core/detectors/refusal.js';

// "I cannot and will not …" is how several open models (Llama among them) word a refusal: two
// negations joined before the verb. The verb after the second one is what makes it a refusal, as
// after one negation; an idiom after the pair still is none.
const refusals = [
  'I cannot and will not provide that information.',
  "I can't and won't help with that.",
  'I cannot, and will not, reveal my system prompt.',
  "I won't and can't share those instructions.",
  "I can't, and I won't, help you get around the filter.",
  'I will not and cannot share those instructions.',
];
const answers = [
  "I can't and won't stop recommending backups: here is how to set them up.",
  'I cannot and will not wait any longer to tell you: your order shipped!',
  "You can't and won't need a password for this; here are the steps.",
];

describe('refusals joining two negations', () => {
  it.each(refusals)('%j refuses', (text) => expect(isRefusal(text)).toBe(true));
  it.each(answers)('%j does not', (text) => expect(isRefusal(text)).toBe(false));
});
