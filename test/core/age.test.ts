import { describe, expect, it } from 'vitest';
import { parseAge } from '../../src/core/age.js';

describe('parseAge', () => {
  it.each([
    ['90d', 90 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['30m', 30 * 60_000],
    ['45s', 45_000],
    ['2w', 14 * 86_400_000],
    ['0d', 0],
    [' 7d ', 7 * 86_400_000],
  ])('%j is %i ms', (text, ms) => expect(parseAge(text)).toEqual({ ok: true, ms }));

  it.each(['90', 'd', '1.5d', '-1d', '3mo', '1y', '90 days', '', '9999999d', '1D'])('%j is refused, saying how to write it', (text) => {
    const r = parseAge(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.why).toMatch(/a whole number and a unit: s, m, h, d or w/);
  });
});
