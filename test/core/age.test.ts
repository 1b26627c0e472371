import { describe, expect, it } from 'vitest';
import { parseAge, parseSince } from '../../src/core/age.js';

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

  it.each(['1000000000d', '9999999d'])('%j is refused as more digits than any age needs', (text) => {
    expect(parseAge(text)).toEqual({ ok: false, tooFar: true, why: 'an age has at most 6 digits (999999d is over 2,700 years)' });
    expect(parseSince(text, new Date('2026-12-06T12:00:00.000Z'))).toEqual({ ok: false, tooFar: true, why: 'an age has at most 6 digits (999999d is over 2,700 years): write a shorter one, or a date (2026-11-01)' });
  });

  it.each(['90', 'd', '1.5d', '-1d', '3mo', '1y', '90 days', '', '1D'])('%j is refused, saying how to write it', (text) => {
    const r = parseAge(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.why).toMatch(/a whole number and a unit: s, m, h, d or w/);
  });
});

describe('parseSince', () => {
  const now = new Date('2026-12-06T12:00:00.000Z');
  it.each([
    ['7d', '2026-11-29T12:00:00.000Z'],
    ['12h', '2026-12-06T00:00:00.000Z'],
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T09:30:00Z', '2026-11-01T09:30:00.000Z'],
    ['2026-11-01T09:30:00+01:00', '2026-11-01T08:30:00.000Z'],
    ['2026-11-01T09:30+09:00', '2026-11-01T00:30:00.000Z'],
  ])('%j is %s', (text, iso) => expect(parseSince(text, now)).toEqual({ ok: true, iso }));

  it.each(['2026-11-01T09:30:00', '2026-02-30', '01/11/2026', 'yesterday', '2026-13-01', '', '2026-02-30T09:00:00Z', '2026-04-31T23:30+02:00'])('%j is refused, saying what to write', (text) => {
    const r = parseSince(text, now);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.why).toMatch(/an age \(7d, 12h\), a date \(2026-11-01, midnight UTC\) or a date and time with its zone/);
  });
});
