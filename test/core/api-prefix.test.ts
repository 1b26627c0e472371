import { describe, expect, it } from 'vitest';
import { withApiPrefix } from '../../src/core/api-prefix.js';

/** A base URL whose path does not end in /v1 (vLLM's OpenAI-compatible prefix) gets the URL it likely needs. */
describe('withApiPrefix', () => {
  it.each([
    ['vLLM with /v1', 'http://127.0.0.1:8000/v1', undefined],
    ['with a trailing slash', 'http://127.0.0.1:8000/v1/', undefined],
    ['behind a proxy path ending in /v1', 'https://gw.internal/llm/v1', undefined],
    ['the server root', 'http://127.0.0.1:8000', 'http://127.0.0.1:8000/v1'],
    ['the root with a slash', 'http://127.0.0.1:8000/', 'http://127.0.0.1:8000/v1'],
    ['a proxy path without /v1', 'https://gw.internal/llm/', 'https://gw.internal/llm/v1'],
    ['another version', 'http://host:8000/v2', 'http://host:8000/v2/v1'],
    ['/v10 is not /v1', 'http://host:8000/v10', 'http://host:8000/v10/v1'],
    ['not a URL', 'not a url', undefined],
  ])('%s', (_, url, likely) => {
    expect(withApiPrefix(url)).toBe(likely);
  });
});
