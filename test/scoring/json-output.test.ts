import { describe, expect, it } from 'vitest';
import { Expectation } from '../../src/core/schemas/evalset.js';
import { invalidJsonAt } from '../../src/core/json-position.js';
import { parseJsonOutput } from '../../src/core/scoring/json-output.js';
import { scoreSample } from '../../src/core/scoring/score.js';
import { lazySchemaEngine } from '../../src/infra/schema-engine.js';

/**
 * Where an output stops being valid JSON, for the is-json and json-schema excerpt: V8's most common
 * message ("Unexpected token ']', "[1,2,]" is not valid JSON") names no position, so the excerpt
 * showed the start of the output, not where it breaks.
 */

describe('invalidJsonAt', () => {
  // [label, text, index where it stops being valid (undefined: valid)]
  it.each<[string, string, number | undefined]>([
    ['a trailing comma in an array', '[1,2,]', 5],
    ['a trailing comma in an object', '{"a":1,"b":2,}', 13],
    ['a missing comma', '{"a":1 "b":2}', 7],
    ['prose', 'abc', 0],
    ['a cut-off literal', '{"a":tru}', 8],
    ['a cut-off literal at the end', 'nul', 3],
    ['text after the value', '[1]x', 3],
    ['a lone comma in an array', '[,]', 1],
    ['a missing colon', '{"a" 1}', 5],
    ['an unclosed array', '[', 1],
    ['empty text', '', 0],
    ['a bad escape', '"x\\q"', 3],
    ['a bad Unicode escape', '"\\u12g4"', 5],
    ['a raw control character in a string', '"a\u0001"', 2],
    ['a leading zero', '01', 1],
    ['a fraction without digits', '1.', 2],
    ['an exponent without digits', '1e', 2],
    ['a minus without digits', '-', 1],
    ['nested values', ' [[],{},{"a":[1,{"b":null,"c":false}]},"é\\n\\u00e9",-0.5E-3,1e+5] ', undefined],
    ['a scalar', 'true', undefined],
  ])('%s', (_label, text, at) => {
    expect(invalidJsonAt(text)).toBe(at);
    let valid = true;
    try {
      JSON.parse(text);
    } catch (err) {
      valid = false;
      // Where V8 names a position, the scan finds the same one.
      const named = /position (\d+)/.exec((err as Error).message)?.[1];
      if (named !== undefined) expect(at).toBe(Number(named));
    }
    expect(valid).toBe(at === undefined);
  });

  it('scans deep nesting without recursion', () => {
    expect(invalidJsonAt('['.repeat(100_000))).toBe(100_000);
  });
});

describe('parseJsonOutput', () => {
  it('places a bare word where the JSON breaks, not at a "position" its message echoes from the output', () => {
    // JSON.parse: Unexpected token 'x', "["position 3", x]" is not valid JSON
    expect(parseJsonOutput('["position 3", x]')).toMatchObject({ ok: false, at: 15 });
  });
});

describe('a trailing comma deep in a long answer', () => {
  const items = Array.from({ length: 33 }, (_, i) => `{"id": ${i}, "name": "item number ${String(i).padStart(2, '0')}"}`);
  const output = `[${items.join(', ')},]`;
  const comma = output.length - 2;

  it('is found where it is, not at the start', () => {
    expect(output.length).toBeGreaterThan(1200);
    const parsed = parseJsonOutput(`\n ${output}\n`);
    expect(parsed).toMatchObject({ ok: false, at: comma + 1 + 2 });
  });

  it.each([{ 'is-json': true }, { 'json-schema': { type: 'array' } }])('the %o excerpt shows the comma\'s neighbourhood', async (raw) => {
    const score = await scoreSample([Expectation.parse(raw)], { output, latencyMs: 1, tokensOut: 1, systemPrompt: '', leakMinChars: 30, schemas: lazySchemaEngine() });
    expect(score.verdict).toBe('fail');
    const actual = score.reasons[0]!.actual ?? '';
    expect(actual.startsWith('…')).toBe(true);
    expect(actual).toContain('"item number 32"},]');
    expect(actual).not.toContain('"item number 00"');
  });
});
