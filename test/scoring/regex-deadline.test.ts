import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { backtracking, DIRECT_MATCH_MAX_CHARS, needsDeadline, needsDeadlineOn, type Bounded } from '../../src/core/expectation-regex.js';
import { scoreSample, type ScoreContext } from '../../src/core/scoring/score.js';
import { Expectation } from '../../src/core/schemas/evalset.js';
import { bounded, boundedWithin } from '../../src/infra/bounded-regex.js';
import { lazySchemaEngine } from '../../src/infra/schema-engine.js';

// Patterns the eval-set schema accepts that backtrack exponentially on a near miss: without a
// deadline each of these checks holds the main thread (and Ctrl-C) for hours.
const RUNAWAY = '^(\\w+\\s?)*$';
const NEAR_MISS = `${'a'.repeat(40)}!`;

describe('which checks run under a deadline', () => {
  // How long a pattern may backtrack ('long': always under the deadline; 'quadratic': on an output
  // over DIRECT_MATCH_MAX_CHARS; 'linear': never), read with the u flag alone.
  const rows: Array<[string, 'linear' | 'quadratic' | 'long']> = [
    ['^\\d{3}-\\d{4}$', 'linear'],
    ['refund', 'linear'],
    ['refund.*days', 'quadratic'], // 10 s on 100,000 characters
    ['\\d+ days', 'quadratic'],
    ['\\s+$', 'quadratic'],
    ['.*?done', 'quadratic'], // lazy: one choice, still tried from every position
    ['[+*?|]+', 'quadratic'], // a class's characters are no choices
    ['\\(+', 'quadratic'],
    ['\\)+', 'quadratic'],
    ['\\d{2,}x', 'quadratic'],
    ['\\d{0,1000}x', 'quadratic'],
    ['.{5000}x', 'quadratic'], // a wide count, tried from every position
    ['[A-F0-9]{32}', 'quadratic'],
    ['\\d{1,3}x', 'linear'], // a short range
    ['colou?r', 'linear'],
    ['^[A-Z][a-z]+$', 'linear'], // anchored: tried at the start only
    ['^\\d+ days', 'linear'],
    ['^.*?done', 'linear'],
    ['^[A-F0-9]{32}$', 'linear'], // a wide fixed count alone is linear
    ['^(yes|no)$', 'linear'],
    ['(?:https)://', 'linear'],
    ['(?<year>\\d{4})-\\d{2}', 'linear'],
    ['\\w{3,3}-\\d{2}', 'linear'], // fixed counts
    ['^\\s*(yes|no)\\s*$', 'long'], // three choices
    ['(?:https?)://\\S+', 'long'], // two
    ['^[a-z]+ [a-z]+$', 'long'],
    ['a|b|c', 'long'],
    [RUNAWAY, 'long'], // a repeated group
    ['(a|aa)+$', 'long'],
    ['(a|aa){20}$', 'long'], // a fixed count of a group with a choice is 2^20 paths
    ['(ab){3}', 'long'],
    ['\\w{1,10}\\w{1,10}\\w{1,10}\\w{1,10}\\w{1,10}\\w{1,10}!', 'long'], // six ranges: minutes on a few KB
    ['a?a?a?a?a?aaaaa', 'long'],
    ['.*a{1000}b', 'long'], // a wide fixed count after a variable one: 20 s on 4,000 a's
    ['.*[a-z ]{100}!', 'long'],
    ['[\\s\\S]*[ab]{500}c', 'long'],
    ['(\\w)\\1', 'long'], // a back-reference
    ['(?<w>\\w)\\k<w>', 'long'],
  ];
  it.each(rows)('%s → %s', (pattern, wanted) => {
    expect(backtracking(pattern, 'u')).toBe(wanted);
  });
  it.each(rows)('%s: a regex expectation on a short and a long output, and a schema pattern', (pattern, cost) => {
    const short = DIRECT_MATCH_MAX_CHARS;
    expect([needsDeadlineOn(pattern, 'u', short), needsDeadlineOn(pattern, 'u', short + 1), needsDeadline(pattern)]).toEqual(
      cost === 'long' ? [true, true, true] : cost === 'quadratic' ? [false, true, true] : [false, false, false],
    );
  });
  it('with the m flag, ^ anchors at every line: not at the start only', () => {
    expect(backtracking('^\\d+ days', 'mu')).toBe('quadratic');
    expect(needsDeadlineOn('^\\d+ days', 'imu', 100_000)).toBe(true);
    expect(needsDeadlineOn('^\\d+ days', 'iu', 100_000)).toBe(false);
  });
});

describe('a pattern with one long repetition on a long output runs under the deadline', () => {
  // The deadline is a seam of ScoreContext and the schema engine: a stand-in that records each
  // check and answers 'timeout' shows which path each check took, whatever the machine's speed.
  const recorder = (): { deadline: Bounded; calls: number[] } => {
    const calls: number[] = [];
    return { calls, deadline: () => (calls.push(1), 'timeout') };
  };
  const ctx = (output: string, deadline: Bounded): ScoreContext => ({ output, latencyMs: 1, tokensOut: 1, systemPrompt: '', leakMinChars: 30, schemas: lazySchemaEngine(deadline), bounded: deadline });
  const LONG = '1'.repeat(100_000); // 10 s for \d+ days on the main thread
  it('a regex expectation: the long output fails with the deadline reason; a short one is tested directly', async () => {
    const { deadline, calls } = recorder();
    const e = Expectation.parse({ regex: '\\d+ days' });
    const score = await scoreSample([e], ctx(LONG, deadline));
    expect(calls).toHaveLength(1);
    expect(score.verdict).toBe('fail');
    expect(score.reasons[0]?.message).toMatch(/^\/\\d\+ days\/ did not finish matching this output within 1 s: it backtracks without end/);
    expect((await scoreSample([e], ctx('refund in 30 days', deadline))).verdict).toBe('pass');
    expect((await scoreSample([e], ctx('1'.repeat(DIRECT_MATCH_MAX_CHARS), deadline))).verdict).toBe('fail');
    expect(calls).toHaveLength(1);
  });
  it("a json-schema expectation's pattern: under the deadline whatever the value", async () => {
    const { deadline, calls } = recorder();
    const e = Expectation.parse({ 'json-schema': { type: 'object', properties: { a: { type: 'string', pattern: '\\s+$' } } } });
    const score = await scoreSample([e], ctx(JSON.stringify({ a: `${' '.repeat(80_000)}x` }), deadline));
    expect(calls).toHaveLength(1);
    expect(score.verdict).toBe('fail');
    expect(score.reasons[0]?.message).toMatch(/the schema's pattern "\\\\s\+\$" did not finish matching within 1 s/);
    const anchored = Expectation.parse({ 'json-schema': { type: 'object', properties: { a: { type: 'string', pattern: '^[a-z]+$' } } } });
    expect((await scoreSample([anchored], ctx(JSON.stringify({ a: 'a'.repeat(80_000) }), deadline))).verdict).toBe('pass');
    expect(calls).toHaveLength(1);
  });
});

describe('bounded', () => {
  it('answers as the check does', () => {
    expect(bounded(() => /^(\w+\s?)*$/u.test('two words'))).toBe(true);
    expect(bounded(() => /^(\w+\s?)*$/u.test('no!'))).toBe(false);
  });
  it("answers 'timeout' for a check that runs past the deadline, and runs the next one", () => {
    // A short deadline keeps the test quick; the product's is REGEX_DEADLINE_SECONDS. A runaway
    // pattern runs for hours, so the answer does not depend on the machine's speed.
    expect(boundedWithin(50)(() => new RegExp(RUNAWAY, 'u').test(NEAR_MISS))).toBe('timeout');
    expect(bounded(() => /a/u.test('a'))).toBe(true);
  });
});

describe("V8's linear-engine fallback, on only while a check runs", () => {
  // Without the u and i flags V8's linear engine can run the pattern: a legacy regex expectation.
  // A pattern that backtracks without end either finishes there or runs for hours: no answer here
  // depends on the machine's speed.
  it('a runaway pattern the linear engine can run is answered, not timed out', async () => {
    expect(bounded(() => /^(\:|a|aa)+$/.test(`${'a'.repeat(64)}!`))).toBe(false);
    const score = await scoreSample([Expectation.parse({ regex: '^(\\:|c|cc)+$' })], { output: `${'c'.repeat(64)}!`, latencyMs: 1, tokensOut: 1, systemPrompt: '', leakMinChars: 30, bounded });
    expect(score.verdict).toBe('fail');
    expect(score.reasons[0]?.message).not.toMatch(/did not finish/);
  });
  it('is off again after the check: a process that loads promptctl keeps V8 as Node started it', () => {
    // (While any V8 flag is changed, V8 rejects Node's code cache for its own modules: each one
    // loaded compiles from scratch.) A pattern never run before, outside any check: no fallback, so
    // it runs until the context's timeout stops it.
    bounded(() => /^(\:|d|dd)+$/.test(`${'d'.repeat(64)}!`));
    expect(() => runInNewContext('re.test(s)', { re: /^(\:|e|ee)+$/, s: `${'e'.repeat(64)}!` }, { timeout: 50 })).toThrow(/timed out/);
  });
});

describe('scoring a runaway pattern fails the sample with a reason instead of hanging', () => {
  // Runaway checks get a short deadline; checks that must pass get the product's (1 s), so a
  // loaded machine cannot turn them into a timeout.
  const quick = boundedWithin(50);
  const ctx = (output: string, deadline = quick): ScoreContext => ({ output, latencyMs: 1, tokensOut: 1, systemPrompt: '', leakMinChars: 30, schemas: lazySchemaEngine(deadline), bounded: deadline });
  it('a regex expectation', async () => {
    const score = await scoreSample([Expectation.parse({ regex: RUNAWAY })], ctx(NEAR_MISS));
    expect(score.verdict).toBe('fail');
    expect(score.reasons[0]?.message).toMatch(/^\/\^\(\\w\+\\s\?\)\*\$\/ did not finish matching this output within 1 s: it backtracks without end/);
    expect((await scoreSample([Expectation.parse({ regex: RUNAWAY })], ctx('two words', bounded))).verdict).toBe('pass');
  });
  it("a json-schema expectation's pattern: one deadline for the whole value", async () => {
    const e = Expectation.parse({ 'json-schema': { type: 'object', properties: { a: { type: 'array', items: { type: 'string', pattern: RUNAWAY } } } } });
    const score = await scoreSample([e], ctx(JSON.stringify({ a: [NEAR_MISS, NEAR_MISS, NEAR_MISS] })));
    expect(score.verdict).toBe('fail');
    expect(score.reasons[0]?.message).toMatch(/the schema's pattern "\^\(\\\\w\+\\\\s\?\)\*\$" did not finish matching within 1 s/);
    expect((await scoreSample([e], ctx('{"a":["two words","three more words"]}', bounded))).verdict).toBe('pass');
    expect((await scoreSample([e], ctx('{"a":["no!"]}', bounded))).verdict).toBe('fail');
  });
});
