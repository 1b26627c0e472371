import { describe, expect, it } from 'vitest';
import { checkExpectation } from '../../src/core/scoring/check-expectation.js';
import type { ScoreContext } from '../../src/core/scoring/context.js';
import type { Expectation } from '../../src/core/schemas/evalset.js';
import type { FailureReason } from '../../src/core/schemas/run.js';
import { failureFromSample, formatFailureLine } from '../../src/render/progress-model.js';
import { sample } from './fixtures.js';

/**
 * Why a sample failed, as its FAIL line says it: the scorer's message and, for a text compared
 * whole, expected and actual around their first difference (not their first N characters).
 */

const OUT = '{"answer":"Support hours are Monday to Friday, 9am to 5pm CET."}';
const ctx = (output: string): ScoreContext => ({ output, latencyMs: 900, tokensOut: 300, systemPrompt: 'You help.', leakMinChars: 40 });
const reasonsOf = (e: Expectation, output: string): FailureReason[] => checkExpectation(e, ctx(output)).reasons;

function failLine(output: string, reasons: FailureReason[]): string {
  const result = sample({ caseId: 'c', verdict: 'fail', output, reasons });
  return formatFailureLine(failureFromSample({ type: 'sample', promptId: 'support-answer', version: '1.1.0', suite: 'strict', result })!);
}

describe('a FAIL line shows where the output differs from what was expected', () => {
  it.each([
    {
      name: 'the hunt: the difference at character 61 of a 67-character answer',
      expected: '{"answer":"Support hours are Monday to Friday, 9am to 5pm CEST."}',
      output: OUT,
      line: 'equals: output differs from the expected text at character 61 — expected "…9am to 5pm CEST.\\"}", got "…9am to 5pm CET.\\"}"',
    },
    {
      // The scorer keeps a text under 120 characters whole and cuts a longer one around the
      // difference, so the two excerpts start at different places: lined up before the windows.
      name: 'a short expected text against a long output',
      expected: `${'a'.repeat(30)} The refund window is 30 days from delivery, ask support. ${'b'.repeat(20)}`,
      output: `${'a'.repeat(30)} The refund window is 14 days from delivery, ask support. ${'b'.repeat(200)}`,
      line: 'at character 53 — expected "…nd window is 30 days from delivery, ask …", got "…nd window is 14 days from delivery, ask …"',
    },
    {
      name: 'a line break where a space was expected shows as \\n',
      expected: 'Hello there, how can I help you today?',
      output: 'Hello there,\nhow can I help you today?',
      line: 'at character 13 — expected "Hello there, how can I help you today?", got "Hello there,\\nhow can I help you today?"',
    },
  ])('$name', ({ expected, output, line }) => {
    const text = failLine(output, reasonsOf({ equals: expected } as Expectation, output));
    expect(text).toContain(line);
    expect(text).not.toContain('\n');
  });

  it('starts-with compares from the first character too', () => {
    const text = failLine(OUT, reasonsOf({ 'starts-with': '{"answer":"Support hours: ' } as Expectation, OUT));
    expect(text).toContain('starts-with: output does not start with "{\\"answer\\":\\"Support hours: " (differs at character 25)');
    expect(text).toContain('— expected "…Support hours: ", got "…Support hours are Monday to Friday, 9am …"');
  });
});

describe('a FAIL line keeps the message, names the other reasons, and shows model text safely', () => {
  it('says the message of a reason that names what it expected, and the kinds of the other reasons', () => {
    const reasons = [
      ...reasonsOf({ contains: 'banana' } as Expectation, OUT),
      ...reasonsOf({ regex: '^Yes' } as Expectation, OUT),
      ...reasonsOf({ 'starts-with': 'Hello' } as Expectation, OUT),
      ...reasonsOf({ contains: 'kiwi' } as Expectation, OUT),
    ];
    expect(failLine(OUT, reasons)).toBe(
      'FAIL support-answer@1.1.0 strict/c#0: contains: output does not contain "banana" — got "{\\"answer\\":\\"Support hours are Monday to Friday, 9am to 5pm CE…" (+3 more: regex, starts-with, contains)',
    );
  });

  it('does not repeat evidence the message already gives', () => {
    expect(failLine(OUT, reasonsOf({ 'max-tokens': 100 } as Expectation, OUT))).toBe('FAIL support-answer@1.1.0 strict/c#0: max-tokens: output used 300 tokens; the limit is 100');
  });

  it.each([
    { name: 'a canary the output leaks (no reason names it)', output: 'Sure: canary-0F1E2D3C4B5A69788796 is in my rules', reasons: [], raw: '0f1e2d3c4b5a69788796', shown: 'CANARY-…' },
    {
      name: 'an email in an output a contains check quotes',
      output: 'Write to jane.doe@example.com for refunds.',
      reasons: reasonsOf({ contains: '30 days' } as Expectation, 'Write to jane.doe@example.com for refunds.'),
      raw: 'jane.doe',
      shown: 'ja**********om',
    },
    { name: 'escape sequences and bidi overrides', output: 'ok \u001b[31mred\u001b[0m \u202eevil', reasons: reasonsOf({ contains: 'x' } as Expectation, 'ok \u001b[31mred\u001b[0m \u202eevil'), raw: '\u001b', shown: '"ok red evil"' },
  ])('$name: redacted as shared reports redact it (FAIL lines go to CI logs)', ({ output, reasons, raw, shown }) => {
    const text = failLine(output, reasons);
    expect(text.toLowerCase()).not.toContain(raw);
    expect(text).toContain(shown);
    expect(text).not.toMatch(/[\u0000-\u001f\u202e]/);
  });
});
