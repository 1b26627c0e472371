import { describe, expect, it } from 'vitest';
import { JudgeScoreOutOfRange } from '../../src/core/scoring/score.js';
import { labelFailures, scoringFailure } from '../../src/infra/eval/judge.js';
import { contentText, tokenCount } from '../../src/infra/model/answer-fields.js';
import { toResult } from '../../src/infra/model/chat-wire.js';
import { classify, InvalidResponseError } from '../../src/infra/model/retry-policy.js';

/**
 * An answer's fields in shapes vLLM never sends but a gateway or a proxy may: OpenAI's content
 * parts are read as their text; any other content is an invalid answer (retried like a garbage
 * body, never a crash); a usage count that is not a whole number of 0 or more is not a count.
 */

describe('message.content', () => {
  it.each<[string, unknown, string]>([
    ['a string', 'Refunds within 30 days.', 'Refunds within 30 days.'],
    ['none (a tool call)', null, ''],
    ['OpenAI content parts', [{ type: 'text', text: 'Refunds ' }, { type: 'text', text: 'within 30 days.' }], 'Refunds within 30 days.'],
    ['a refusal part', [{ type: 'refusal', refusal: 'I cannot help with that.' }], 'I cannot help with that.'],
    ['no parts', [], ''],
  ])('%s is read as text', (_name, content, text) => {
    expect(contentText(content)).toBe(text);
  });

  it.each<[string, unknown, string]>([
    ['an object', { a: 1 }, 'message.content is an object, not text or text parts'],
    ['a number', 42, 'message.content is a number, not text or text parts'],
    ['an image part', [{ type: 'text', text: 'x' }, { type: 'image_url', image_url: {} }], 'message.content is an array holding a "image_url" part, not text or text parts'],
    ['a part without a type', ['plain'], 'message.content is an array holding a string part, not text or text parts'],
  ])('%s is an invalid answer naming its shape, retried as transient', (_name, content, message) => {
    const error = (() => {
      try {
        contentText(content);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toBe(message);
    expect(classify(error, 1000, () => 0)).toMatchObject({ transient: true });
  });
});

describe('usage counts', () => {
  it.each<[unknown, number | undefined]>([
    [0, 0], [12, 12], [-3, undefined], [1.5, undefined], ['8', undefined], [Number.NaN, undefined], [Infinity, undefined], [undefined, undefined], [null, undefined],
  ])('%s counts as %s', (value, count) => {
    expect(tokenCount(value)).toBe(count);
  });

  const answer = (content: unknown, usage: unknown) =>
    toResult({ choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }], usage } as never, { model: 'm', messages: [] }, 'r', 1);

  it('an answer with content parts and a negative completion count: its text, and tokens not reported', () => {
    const r = answer([{ type: 'text', text: 'ok' }], { prompt_tokens: -1, completion_tokens: -3 });
    expect(r).toMatchObject({ output: 'ok', tokensIn: 0, tokensOut: 0, tokensUnreported: true });
    expect(answer('ok', { prompt_tokens: 4, completion_tokens: 2 })).not.toHaveProperty('tokensUnreported');
  });
});

describe('a sample error raised while scoring', () => {
  it('is labelled "judge:" only when a judge raised it', async () => {
    const judge = labelFailures(async () => Promise.reject(new Error('judge server down')));
    const fromJudge = await judge().catch((e: unknown) => e);
    expect(scoringFailure(fromJudge)).toBe('judge: judge server down');
    expect(scoringFailure(new JudgeScoreOutOfRange(7))).toMatch(/^judge: /);
    expect(scoringFailure(new TypeError('out.toLowerCase is not a function'))).toBe('scoring failed: out.toLowerCase is not a function');
  });
});
