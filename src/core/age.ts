/**
 * An age written as a count and a unit (`90d`, `12h`, `2w`), as `registry prune-cache --older-than`
 * takes it: milliseconds, or why the text is not one. Whole units only: a month or a year has no
 * fixed length, so they are written in days.
 */

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

export type AgeParse = { ok: true; ms: number } | { ok: false; why: string };

export function parseAge(text: string): AgeParse {
  const m = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (!m) return { ok: false, why: 'write a whole number and a unit: s, m, h, d or w (90d is 90 days; a month or a year is written in days, 30d or 365d)' };
  return { ok: true, ms: Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] };
}
