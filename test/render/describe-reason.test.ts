import { describe, expect, it } from 'vitest';
import { checkExpectation } from '../../src/core/scoring/check-expectation.js';
import type { ScoreContext } from '../../src/core/scoring/context.js';
import type { Expectation } from '../../src/core/schemas/evalset.js';
import { describeReason } from '../../src/render/text.js';

/** A failure as FAIL lines and JUnit messages name it: what the scorer expected, quoted once. */

const ctx: ScoreContext = { output: 'I like apples.', latencyMs: 900, tokensOut: 300, systemPrompt: 'You help.', leakMinChars: 40 };

describe('describeReason over real scorer failures', () => {
  it.each([
    { expect: { contains: 'banana' }, text: 'contains "banana"' },
    { expect: { contains: ['banana', 'kiwi'] }, text: 'contains "banana", "kiwi"' },
    { expect: { 'not-contains': 'apples' }, text: 'not-contains no "apples"' },
    { expect: { 'starts-with': 'Hello' }, text: 'starts-with "Hello"' },
    { expect: { regex: '^Yes' }, text: 'regex /^Yes/' },
    { expect: { 'max-tokens': 100 }, text: 'max-tokens <= 100 tokens' },
  ])('$text', ({ expect: e, text }) => {
    const reasons = checkExpectation(e as Expectation, ctx).reasons;
    expect(reasons).toHaveLength(1);
    expect(describeReason(reasons[0]!)).toBe(text);
  });
});
