import { describe, expect, it } from 'vitest';
import { Expectation } from '../../src/core/schemas/evalset.js';
import { scoreSample } from '../../src/core/scoring/score.js';
import { lazySchemaEngine } from '../../src/infra/schema-engine.js';

/**
 * is-json and json-schema fail a reply in a Markdown code fence (the reply must be bare JSON), and
 * the reason says the fence is the problem, whatever shape the model gave it: only a fence with
 * each marker on a line of its own was named; the others got V8's "Unexpected token '`'".
 */

const WRAPPED = 'output is not valid JSON: it is wrapped in a ``` code fence (the reply must be bare JSON)';

// [label, output, the reason's message]
const rows: Array<[string, string, string]> = [
  ['each marker on its own line', '```json\n{"a":1}\n```', WRAPPED],
  ['no language', '```\n{"a":1}\n```\n', WRAPPED],
  ['the closing fence right after the JSON', '```json\n{"a":1}```', WRAPPED],
  ['all on one line', '```json {"a":1} ```', WRAPPED],
  ['four backticks', '````json\n{"a":1}\n````', WRAPPED],
  ['CR LF line endings', '```json\r\n{"a":1}\r\n```', WRAPPED],
  ['a tilde fence', '~~~json\n{"a":1}\n~~~', 'output is not valid JSON: it is wrapped in a ~~~ code fence (the reply must be bare JSON)'],
  ['prose after the fence', '```json\n{"a":1}\n```\nHope this helps!', 'output is not valid JSON: it starts with a ``` code fence (the reply must be bare JSON)'],
  ['an opening fence only', '```json\n{"a":1}', 'output is not valid JSON: it starts with a ``` code fence (the reply must be bare JSON)'],
];

describe('a fenced reply: the reason names the fence', () => {
  it.each(rows)('%s', async (_label, output, message) => {
    for (const e of [{ 'is-json': true }, { 'json-schema': { type: 'object' } }]) {
      const score = await scoreSample([Expectation.parse(e)], { output, latencyMs: 1, tokensOut: 1, systemPrompt: '', leakMinChars: 30, schemas: lazySchemaEngine() });
      expect(score.reasons.map((r) => r.message)).toEqual([message]);
    }
  });

  it('names no fence for other invalid JSON', async () => {
    const score = await scoreSample([Expectation.parse({ 'is-json': true })], { output: '{"a":1}```', latencyMs: 1, tokensOut: 1, systemPrompt: '', leakMinChars: 30 });
    expect(score.reasons[0]?.message).not.toMatch(/fence/);
  });
});
