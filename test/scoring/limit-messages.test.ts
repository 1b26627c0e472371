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

// [min_score, the judge's score, the reason's message, or null for a pass]
const judged: Array<[number, number, string | null]> = [
  [0.7, 0.7, null],
  [0.7, 0.2, 'judge scored 0.20, below the minimum 0.7: graded'],
  [0.7, 0.699, 'judge scored 0.699, below the minimum 0.7: graded'],
  [0.8, 0.7999, 'judge scored 0.7999, below the minimum 0.8: graded'],
  [0.8, 0.79999, 'judge scored 0.7999, below the minimum 0.8: graded'],
  [0.75, 0.7499, 'judge scored 0.7499, below the minimum 0.75: graded'],
  [0.75, 0.749, 'judge scored 0.749, below the minimum 0.75: graded'],
  [0.75, 0.745, 'judge scored 0.74, below the minimum 0.75: graded'],
];

describe('judge: the score shown agrees with the verdict', () => {
  it.each(judged)('min_score %s, scored %s', async (min, score, message) => {
    const judge: ScoreContext['judge'] = async () => ({ score, reason: 'graded' });
    const result = await scoreSample([Expectation.parse({ judge: { rubric: 'polite', min_score: min } })], ctx({ judge }));
    expect(result.reasons.map((r) => r.message)).toEqual(message === null ? [] : [message]);
  });
});
