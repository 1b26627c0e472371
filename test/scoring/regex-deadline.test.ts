import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { needsDeadline } from '../../src/core/expectation-regex.js';
import { scoreSample, type ScoreContext } from '../../src/core/scoring/score.js';
import { Expectation } from '../../src/core/schemas/evalset.js';
import { bounded, boundedWithin } from '../../src/infra/bounded-regex.js';
import { lazySchemaEngine } from '../../src/infra/schema-engine.js';

// Patterns the eval-set schema accepts that backtrack exponentially on a near miss: without a
// deadline each of these checks holds the main thread (and Ctrl-C) for hours.
const RUNAWAY = '^(\\w+\\s?)*$';
const NEAR_MISS = `${'a'.repeat(40)}!`;

describe('needsDeadline: which patterns are checked under a deadline', () => {
  const rows: Array<[string, boolean]> = [
    ['^\\d{3}-\\d{4}$', false],
    ['refund', false],
    ['refund.*days', false],
    ['^[A-Z][a-z]+$', false],
    ['^(yes|no)$', false],
    ['colou?r', false],
    ['(?:https)://', false],
    ['(?<year>\\d{4})-\\d{2}', false],
    ['.*?done', false], // lazy: one choice
    ['\\w{3,3}-\\d{2}', false], // fixed counts
    ['[+*?|]+', false], // a class's characters are no choices
    ['\\(+', false],
    ['\\)+', false],
    ['^\\s*(yes|no)\\s*$', true], // three choices
    ['(?:https?)://\\S+', true], // two
    ['^[a-z]+ [a-z]+$', true],
    ['a|b|c', true],
    [RUNAWAY, true], // a repeated group
    ['(a|aa)+$', true],
    ['(a|aa){20}$', true], // a fixed count of a group with a choice is 2^20 paths
    ['(ab){3}', true],
    ['\\w{1,10}\\w{1,10}\\w{1,10}\\w{1,10}\\w{1,10}\\w{1,10}!', true], // six ranges: minutes on a few KB
    ['a?a?a?a?a?aaaaa', true],
    ['.*a{1000}b', true], // a wide fixed count after a variable one: 20 s on 4,000 a's
    ['.*[a-z ]{100}!', true],
    ['[\\s\\S]*[ab]{500}c', true],
    ['^[A-F0-9]{32}$', false], // a wide fixed count alone is linear
    ['(\\w)\\1', true], // a back-reference
    ['(?<w>\\w)\\k<w>', true],
  ];
  it.each(rows)('%s → %s', (pattern, wanted) => {
    expect(needsDeadline(pattern)).toBe(wanted);
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
