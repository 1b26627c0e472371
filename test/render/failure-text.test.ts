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
    // Shown escaped, not dropped: what the output holds is evidence, and none of it reaches the terminal raw.
    { name: 'escape sequences and bidi overrides', output: 'ok \u001b[31mred\u001b[0m \u202eevil', reasons: reasonsOf({ contains: 'x' } as Expectation, 'ok \u001b[31mred\u001b[0m \u202eevil'), raw: '\u001b', shown: '"ok \\e[31mred\\e[0m \\u{202e}evil"' },
  ])('$name: redacted as shared reports redact it (FAIL lines go to CI logs)', ({ output, reasons, raw, shown }) => {
    const text = failLine(output, reasons);
    expect(text.toLowerCase()).not.toContain(raw);
    expect(text).toContain(shown);
    expect(text).not.toMatch(/[\u0000-\u001f\u202e]/);
  });
});

describe('a FAIL line shows the character that differs, even one that cannot be seen', () => {
  it.each([
    {
      name: 'a right-to-left override',
      expected: 'abcd',
      output: 'ab\u202ecd',
      line: 'equals: output differs from the expected text at character 3 (the output has U+202E RIGHT-TO-LEFT OVERRIDE where the expected text has "c") — expected "abcd", got "ab\\u{202e}cd"',
    },
    {
      name: 'an escape sequence',
      expected: 'OK',
      output: '\u001b[0mOK',
      line: 'equals: output differs from the expected text at character 1 (the output has U+001B ESCAPE where the expected text has "O") — expected "OK", got "\\e[0mOK"',
    },
    {
      name: 'a bell',
      expected: 'OK',
      output: 'O\u0007K',
      line: 'equals: output differs from the expected text at character 2 (the output has U+0007 BELL where the expected text has "K") — expected "OK", got "O\\x07K"',
    },
    {
      name: 'a no-break space',
      expected: '30 days',
      output: '30\u00a0days',
      line: 'equals: output differs from the expected text at character 3 (the output has U+00A0 NO-BREAK SPACE where the expected text has " ") — expected "30 days", got "30\\u{a0}days"',
    },
    {
      name: 'a zero-width space',
      expected: '30 days',
      output: '30 \u200bdays',
      line: 'equals: output differs from the expected text at character 4 (the output has U+200B ZERO WIDTH SPACE where the expected text has "d") — expected "30 days", got "30 \\u{200b}days"',
    },
    {
      name: 'a Cyrillic letter that looks Latin',
      expected: 'Paris',
      output: 'P\u0430ris',
      line: 'equals: output differs from the expected text at character 2 (the output has U+0430 (a Cyrillic letter) where the expected text has "a")',
    },
    {
      // Characters as a person counts them (max_length's rule), not UTF-16 units: here 5, not 8.
      name: 'emoji before the difference',
      expected: '👍👍👍 no',
      output: '👍👍👍 yes',
      line: 'equals: output differs from the expected text at character 5 — expected "👍👍👍 no", got "👍👍👍 yes"',
    },
    {
      name: 'a backslash and a quote stay unambiguous',
      expected: 'a\\b"c',
      output: 'a\\b"d',
      line: '— expected "a\\\\b\\"c", got "a\\\\b\\"d"',
    },
  ])('$name', ({ expected, output, line }) => {
    const text = failLine(output, reasonsOf({ equals: expected } as Expectation, output));
    expect(text).toContain(line);
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u00a0\u200b\u202e]/);
  });

  it('starts-with names the character and counts characters as a person does', () => {
    const output = 'Cafe\u0301\u00a0ouvert';
    const text = failLine(output, reasonsOf({ 'starts-with': 'Cafe\u0301 ouvert' } as Expectation, output));
    expect(text).toContain('(differs at character 5) (the output has U+00A0 NO-BREAK SPACE where the expected text has " ")');
  });

  it('a message quoting an expected text shows its invisible characters as escapes', () => {
    const text = failLine('thirty days', reasonsOf({ contains: '30\u00a0days' } as Expectation, 'thirty days'));
    expect(text).toContain('contains: output does not contain "30\\u00a0days"');
  });
});

describe('a FAIL line cuts model text between characters', () => {
  const FAMILY = '👨‍👩‍👧‍👦';
  const clusters = (t: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(t)].map((x) => x.segment);

  it.each([
    { name: 'a long family-emoji output against equals', expected: `${FAMILY.repeat(20)} yes ${FAMILY.repeat(20)}`, output: `${FAMILY.repeat(20)} no ${FAMILY.repeat(20)}` },
    { name: 'a long output with accents written as combining marks', expected: `${'re\u0301sume\u0301 '.repeat(12)}yes ${'re\u0301sume\u0301 '.repeat(12)}`, output: `${'re\u0301sume\u0301 '.repeat(12)}no ${'re\u0301sume\u0301 '.repeat(12)}` },
  ])('$name', ({ expected, output }) => {
    // Every offset of the texts against the cut points: some would land inside a character.
    for (let lead = 0; lead < 12; lead++) {
      const [want, got] = ['x'.repeat(lead) + expected, 'x'.repeat(lead) + output];
      const text = failLine(got, reasonsOf({ equals: want } as Expectation, got));
      const shown = [...text.matchAll(/"…?([^"]*?)…?"/g)].map((m) => m[1]!).filter((t) => t.length > 10);
      expect(shown.length).toBeGreaterThan(0);
      const known = new Set([...clusters(want), ...clusters(got)]);
      for (const part of shown) expect(clusters(part).filter((c) => !known.has(c))).toEqual([]);
    }
  });
});

