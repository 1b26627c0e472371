import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../src/infra/model/retry-policy.js';

/** Retry-After read against the client's clock, never the machine's: an HTTP date is a wait from "now". */
describe('retryAfterMs', () => {
  const now = Date.parse('2026-12-03T12:00:00Z');
  const rows: Array<[string, Record<string, string>, number | undefined]> = [
    ['retry-after-ms wins', { 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    ['seconds', { 'retry-after': '2' }, 2000],
    ['fractional seconds', { 'retry-after': '0.5' }, 500],
    ['an HTTP date 30 s after the clock', { 'retry-after': 'Thu, 03 Dec 2026 12:00:30 GMT' }, 30_000],
    ['an HTTP date already past: no wait', { 'retry-after': 'Thu, 03 Dec 2026 11:59:00 GMT' }, 0],
    ['negative seconds: no wait', { 'retry-after': '-3' }, 0],
    ['unreadable', { 'retry-after': 'soon' }, undefined],
    ['empty', { 'retry-after': ' ' }, undefined],
    ['absent', {}, undefined],
  ];
  it.each(rows)('%s', (_name, headers, ms) => {
    expect(retryAfterMs(new Headers(headers), () => now)).toBe(ms);
  });
  it('no headers', () => expect(retryAfterMs(undefined, () => now)).toBeUndefined());
});
