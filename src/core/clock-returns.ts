/**
 * What a caller's clock answers, checked once when the options are (openRegistry's, a use case's):
 * a `date()` that is no Date, or an invalid one, and a `now()` that is no finite number would pass a
 * check of the members' types and fail later, deep inside, as a TypeError or RangeError (in a
 * reader, after a successful read, losing its value). Calls each member once; says what it gave.
 */
export interface ClockFault {
  method: 'date' | 'now';
  /** What it gave, in words (never a text's content): "a string", "an invalid Date", "NaN", "threw: …". */
  gave: string;
}

export function clockFault(clock: { date: () => unknown; now?: () => unknown }): ClockFault | undefined {
  const date = answer(() => clock.date());
  if ('threw' in date) return { method: 'date', gave: date.threw };
  if (!(date.value instanceof Date)) return { method: 'date', gave: kindOf(date.value) };
  if (Number.isNaN(date.value.getTime())) return { method: 'date', gave: 'an invalid Date' };
  if (!clock.now) return undefined;
  const now = answer(() => clock.now!());
  if ('threw' in now) return { method: 'now', gave: now.threw };
  if (typeof now.value !== 'number' || !Number.isFinite(now.value)) return { method: 'now', gave: kindOf(now.value) };
  return undefined;
}

function answer(call: () => unknown): { value: unknown } | { threw: string } {
  try {
    return { value: call() };
  } catch (err) {
    return { threw: `threw: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** A value's kind in words: `a string`, `a number`, `undefined`, `an object`; a number that is not finite is shown (`NaN`). */
function kindOf(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v === 'number') return Number.isFinite(v) ? 'a number' : String(v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object' && typeof (v as { then?: unknown }).then === 'function') return 'a Promise';
  return /^[aeiou]/.test(typeof v) ? `an ${typeof v}` : `a ${typeof v}`;
}
