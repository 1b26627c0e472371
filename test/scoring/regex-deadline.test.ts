import { describe, expect, it } from 'vitest';
import { needsDeadline } from '../../src/core/expectation-regex.js';
import { scoreSample, type ScoreContext } from '../../src/core/scoring/score.js';
import { Expectation } from '../../src/core/schemas/evalset.js';
import { boundedRegexTest, regexTestWithin } from '../../src/infra/bounded-regex.js';
import { lazySchemaEngine } from '../../src/infra/schema-engine.js';

// Patterns the eval-set schema accepts that backtrack exponentially on a near miss: without a
// deadline each of these checks holds the main thread (and Ctrl-C) for hours.
const RUNAWAY = '^(\\w+\\s?)*$';
const NEAR_MISS = `${'a'.repeat(40)}!`;

describe('needsDeadline: which patterns are tested under a deadline', () => {
  const rows: Array<[string, boolean]> = [
    ['^\\d{3}-\\d{4}$', false],
    ['refund', false],
    ['refund.*days', false],
    ['^[A-Z][a-z]+$', false],
    ['^(yes|no)$', false],
    ['colou?r', false],
    ['(?:https?)://', false],
    ['\\w{1,10}-\\w{2,5}', false],
    ['[+*]+', false],
    ['\\(+', false],
    ['\\)+', false],
    ['^\\s*(yes|no)\\s*$', true], // two unbounded repetitions
    [RUNAWAY, true], // a repeated group
    ['(a|aa)+$', true],
    ['(ab){3}', true],
    ['\\w{1,50}\\s\\w+', true], // a wide bound counts as unbounded
    ['(\\w)\\1', true], // a back-reference
    ['(?<w>\\w)\\k<w>', true],
  ];
  it.each(rows)('%s → %s', (pattern, wanted) => {
    expect(needsDeadline(pattern)).toBe(wanted);
  });
});

describe('boundedRegexTest', () => {
  it('answers like RegExp.test', () => {
    expect(boundedRegexTest(/^(\w+\s?)*$/u, 'two words')).toBe(true);
    expect(boundedRegexTest(/^(\w+\s?)*$/u, 'no!')).toBe(false);
  });
  it("answers 'timeout' for a pattern that backtracks without end, and runs the next check", () => {
    // A short deadline keeps the test quick; the product's is REGEX_DEADLINE_SECONDS.
    expect(regexTestWithin(new RegExp(RUNAWAY, 'u'), NEAR_MISS, 50)).toBe('timeout');
    expect(boundedRegexTest(/a/u, 'a')).toBe(true);
  });
});

describe('scoring a runaway pattern fails the sample with a reason instead of hanging', () => {
  const quick = (re: RegExp, text: string) => regexTestWithin(re, text, 50);
  const ctx = (output: string): ScoreContext => ({ output, latencyMs: 1, tokensOut: 1, systemPrompt: '', leakMinChars: 30, schemas: lazySchemaEngine(quick), regexTest: quick });
  it('a regex expectation', async () => {
    const score = await scoreSample([Expectation.parse({ regex: RUNAWAY })], ctx(NEAR_MISS));
    expect(score.verdict).toBe('fail');
    expect(score.reasons[0]?.message).toMatch(/^\/\^\(\\w\+\\s\?\)\*\$\/ did not finish matching this output within 1 s: it backtracks without end/);
    expect((await scoreSample([Expectation.parse({ regex: RUNAWAY })], ctx('two words'))).verdict).toBe('pass');
  });
  it("a json-schema expectation's pattern", async () => {
    const e = Expectation.parse({ 'json-schema': { type: 'object', properties: { a: { type: 'string', pattern: RUNAWAY } } } });
    const score = await scoreSample([e], ctx(JSON.stringify({ a: NEAR_MISS })));
    expect(score.verdict).toBe('fail');
    expect(score.reasons[0]?.message).toMatch(/the schema's pattern "\^\(\\\\w\+\\\\s\?\)\*\$" did not finish matching within 1 s/);
    expect((await scoreSample([e], ctx('{"a":"two words"}'))).verdict).toBe('pass');
  });
});
