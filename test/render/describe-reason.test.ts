import { describe, expect, it } from 'vitest';
import { checkExpectation } from '../../src/core/scoring/check-expectation.js';
import type { ScoreContext } from '../../src/core/scoring/context.js';
import type { Expectation } from '../../src/core/schemas/evalset.js';
import { describeReason } from '../../src/render/text.js';
import { failureFromSample, formatFailureLine } from '../../src/render/progress-model.js';
import { lazySchemaEngine } from '../../src/infra/schema-engine.js';

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

describe('a json-schema failure', () => {
  const schemaCtx: ScoreContext = { ...ctx, output: '{"status":"processing","eta_days":2}', schemas: lazySchemaEngine() };
  const e = { 'json-schema': { type: 'object', required: ['status'], properties: { status: { const: 'shipped' } } } } as Expectation;

  it('is described by what broke, not by the schema (which --json keeps in `expected`)', () => {
    const [reason] = checkExpectation(e, schemaCtx).reasons;
    expect(reason!.message).toBe('output does not match the JSON schema: $.status: must be "shipped", got "processing"');
    expect(describeReason(reason!)).toBe('json-schema: $.status: must be "shipped", got "processing"');
  });

  it('gives the plain FAIL line its reason, on one short line', () => {
    const result = { runId: 'r', caseId: 'order', sample: 0, verdict: 'fail' as const, output: schemaCtx.output, reasons: checkExpectation(e, schemaCtx).reasons, latencyMs: 1, tokensIn: 1, tokensOut: 1, cached: false };
    const line = formatFailureLine(failureFromSample({ type: 'sample', promptId: 'order-status', version: '1.0.0', suite: 'golden', result })!);
    expect(line).toBe('FAIL order-status@1.0.0 golden/order#0: json-schema: $.status: must be "shipped", got "processing" — got "{\\"status\\":\\"processing\\",\\"eta_days\\":2}"');
  });
});
