/**
 * An age written as a count and a unit (`90d`, `12h`, `2w`), as `registry prune-cache --older-than`
 * and `history --since` take it: milliseconds, or why the text is not one. Whole units only: a month or a year has no
 * fixed length, so they are written in days.
 */

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `tooFar`: an age written rightly, but of more digits than any age needs (999999d is over 2,700 years). */
export type AgeParse = { ok: true; ms: number } | { ok: false; why: string; tooFar?: true };

const AGE = /^(\d+)([smhdw])$/;
const MAX_DIGITS = 6;

export function parseAge(text: string): AgeParse {
  const m = AGE.exec(text.trim());
  if (!m) return { ok: false, why: 'write a whole number and a unit: s, m, h, d or w (90d is 90 days; a month or a year is written in days, 30d or 365d)' };
  if (m[1]!.length > MAX_DIGITS) return { ok: false, tooFar: true, why: `an age has at most ${MAX_DIGITS} digits (999999d is over 2,700 years)` };
  return { ok: true, ms: Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] };
}

export type SinceParse = { ok: true; iso: string } | { ok: false; why: string; tooFar?: true };

/**
 * A point in time for `history --since`: an age back from `now` (`7d`), a date (`2026-11-01`, its
 * midnight UTC: events record UTC), or a date and time with its zone (`2026-11-01T09:00:00+01:00`).
 * A time without a zone is refused: on a runner in another zone it would name another instant.
 */
export function parseSince(text: string, now: Date): SinceParse {
  const age = parseAge(text);
  if (age.ok) return { ok: true, iso: new Date(now.getTime() - age.ms).toISOString() };
  if (age.tooFar) return { ...age, why: `${age.why}: write a shorter one, or a date (2026-11-01)` };
  const t = text.trim();
  const date = /^\d{4}-\d{2}-\d{2}$/.test(t);
  const zoned = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(t);
  const ms = date || zoned ? Date.parse(date ? `${t}T00:00:00Z` : t) : NaN;
  // Date.parse rolls 2026-02-30 over into March, with a time and zone too (2026-02-30T09:00:00Z is
  // 2 March): the day must exist as written, or the filter silently counts from another day.
  const day = t.slice(0, 10);
  if (Number.isNaN(ms) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) {
    return { ok: false, why: 'write an age (7d, 12h), a date (2026-11-01, midnight UTC) or a date and time with its zone (2026-11-01T09:00:00Z)' };
  }
  return { ok: true, iso: new Date(ms).toISOString() };
}
