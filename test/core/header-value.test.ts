import { describe, expect, it } from 'vitest';
import { headerValueProblem } from '../../src/core/header-value.js';

/** An API key that cannot travel in the Authorization header is named for what is wrong with it, never shown. */
describe('an API key as a header value', () => {
  it.each<[string, string, string | undefined]>([
    ['a plain key', 'sk-HUNT-SECRET-123', undefined],
    ['a Latin-1 key', 'clé-secrète', undefined],
    ['a trailing newline', 'sk-HUNT-SECRET-123\n', 'ends with a newline (common when it is read from a file)'],
    ['a trailing CRLF', 'sk-HUNT-SECRET-123\r\n', 'ends with a newline (common when it is read from a file)'],
    ['a trailing space', 'sk-HUNT-SECRET-123 ', 'starts or ends with white space'],
    ['a newline inside', 'sk-HUNT\nSECRET', 'has a control character (U+000A) at position 8 of 14'],
    ['curly quotes', '“sk-HUNT”', 'has a character an HTTP header cannot carry (U+201C) at position 1 of 9'],
    ['a zero-width space', 'sk-\u200bHUNT', 'has a character an HTTP header cannot carry (U+200B) at position 4 of 8'],
    ['DEL', 'sk-\u007fHUNT', 'has a control character (U+007F) at position 4 of 8'],
  ])('%s', (_name, key, what) => {
    const problem = headerValueProblem(key, 'VLLM_API_KEY');
    expect(problem?.what).toBe(what);
    if (problem) expect(`${problem.what} ${problem.fix}`).not.toContain('HUNT');
  });
});
