import { describe, expect, it } from 'vitest';
import { Expectation } from '../../src/core/schemas/evalset.js';
import { scoreSample, type ScoreContext } from '../../src/core/scoring/score.js';

/**
 * A failure beside a limit must not print a number that reads as a pass: plain rounding turned a
 * latency of 200.4 ms against a 200 ms limit into "took 200 ms; the limit is 200 ms".
 */

function ctx(over: Partial<ScoreContext>): ScoreContext {
  return { output: 'x', latencyMs: 10, tokensOut: 1, systemPrompt: 'sys', leakMinChars: 30, ...over };
}

// [expectation, context, the reason's message, or null for a pass]
const latency: Array<[unknown, Partial<ScoreContext>, string | null]> = [
  [{ 'max-latency-ms': 200 }, { latencyMs: 200 }, null],
  [{ 'max-latency-ms': 200 }, { latencyMs: 200.4 }, 'response took 200.4 ms; the limit is 200 ms'],
  [{ 'max-latency-ms': 200 }, { latencyMs: 200.01 }, 'response took 200.01 ms; the limit is 200 ms'],
  [{ 'max-latency-ms': 200 }, { latencyMs: 200.5 }, 'response took 201 ms; the limit is 200 ms'],
  [{ 'max-latency-ms': 1000 }, { latencyMs: 2500.4 }, 'response took 2500 ms; the limit is 1000 ms'],
];

describe('max-latency-ms: the time shown agrees with the verdict', () => {
  it.each(latency)('%j with %j', async (e, over, message) => {
    const score = await scoreSample([Expectation.parse(e)], ctx(over));
    expect(score.reasons.map((r) => r.message)).toEqual(message === null ? [] : [message]);
    if (message) expect(score.reasons[0]?.actual).toBe(`${/took (\S+) ms/.exec(message)?.[1]} ms`);
  });
});
