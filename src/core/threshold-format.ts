/**
 * Numbers printed beside a threshold, formatted so that what is shown agrees with the verdict: a
 * failed check shows a value strictly beyond the shown limit, a passed one never shows a value
 * beyond it. Plain rounding breaks this at the edges: a drop of 5.04 points failing a 5-point limit
 * printed "5.0 (limit 5.0)", a 0.4 ms rise failing a 0 ms limit printed "0 ms (limit 0 ms)".
 *
 * The rule: the limit is shown exactly (more decimals if it has them); the value is shown as usual
 * and, only where that would contradict the verdict, with up to two more decimals, and then rounded
 * away from the limit (failed) or towards it (passed). Outputs that already agreed do not change.
 */

/** Which side of the limit passes: `max` (value ≤ limit passes) or `min` (value ≥ limit passes). */
export type Bound = 'max' | 'min';
/**
 * How a value is shown when it agrees with the verdict: to the nearest as `toFixed` does (binary
 * value), to the nearest half up as `Math.round` does, or truncated (percentages).
 */
export type Rounding = 'nearest' | 'half-up' | 'down' | 'up';

// Absorbs binary noise such as 0.995 * 100 = 99.49999…, far below any decimal shown.
const NOISE = 1e-6;
const EXTRA_DIGITS = 2;
const LIMIT_EXTRA_DIGITS = 4;

/**
 * `x` times `unit` (100 for a fraction shown as a percentage), rounded to `digits` decimals in the
 * given direction. The unit is applied inside so the float steps are the ones each printer always
 * used (`fraction * 100 * 10` truncated, `Math.round(fraction * 1000)`): the same digits as before.
 */
export function roundTo(x: number, digits: number, rounding: Rounding, unit = 1): number {
  const scale = 10 ** digits;
  if (rounding === 'down') return Math.floor(x * unit * scale + NOISE) / scale;
  if (rounding === 'up') return Math.ceil(x * unit * scale - NOISE) / scale;
  if (rounding === 'half-up') return Math.round(x * (unit * scale)) / scale;
  return Number((x * unit).toFixed(digits));
}

/** The fewest decimals, from `digits`, that show `x` exactly (within noise), at most four more. */
function exactDigits(x: number, digits: number): number {
  for (let d = digits; d < digits + LIMIT_EXTRA_DIGITS; d++) if (Math.abs(roundTo(x, d, 'nearest') - x) < NOISE) return d;
  return digits + LIMIT_EXTRA_DIGITS;
}

/**
 * A setting as it was written (a confidence, a limit), times `unit`: the fewest decimals that show
 * it exactly, so 0.999 reads 99.9, not a measurement's truncated 99, and 0.0125 reads 1.25.
 */
export function asWritten(x: number, unit = 1): string {
  const d = exactDigits(x * unit, 0);
  return roundTo(x, d, 'nearest', unit).toFixed(d);
}

export interface BesideThreshold {
  value: string;
  limit: string;
  /** Decimals the value is shown with, for numbers printed next to it (the two sides of a difference). */
  digits: number;
}

/** How a number beside a threshold is judged and usually shown. */
export interface ThresholdOptions {
  /** The verdict the shown numbers must agree with. */
  ok: boolean;
  bound: Bound;
  /** The usual number of decimals. */
  digits: number;
  /** How the value is usually rounded. */
  rounding: Rounding;
  /** Shown as `value * unit` (100: fractions as percentages). */
  unit?: number;
}

/**
 * `value` and `limit` as decimal strings (no unit) that agree with `ok`. `digits` is the usual
 * number of decimals; `rounding` how the value is usually shown.
 */
export function besideThreshold(
  value: number,
  limit: number,
  opts: ThresholdOptions & {
    /** Drop trailing zeros ("95", "94.7"). */
    trim?: boolean;
  },
): BesideThreshold {
  const unit = opts.unit ?? 1;
  const limitDigits = exactDigits(limit * unit, opts.digits);
  const shownLimit = roundTo(limit, limitDigits, 'nearest', unit);
  const beyond = (v: number): boolean => (opts.bound === 'max' ? v > shownLimit : v < shownLimit);
  const agrees = (v: number): boolean => beyond(v) === !opts.ok;
  const text = (x: number, d: number): string => (opts.trim ? String(Number(x.toFixed(d))) : x.toFixed(d));
  const result = (v: number, d: number): BesideThreshold => ({ value: text(v, d), limit: text(shownLimit, limitDigits), digits: d });
  const last = Math.max(opts.digits + EXTRA_DIGITS, limitDigits);
  for (let d = opts.digits; d <= last; d++) {
    const v = roundTo(value, d, opts.rounding, unit);
    if (agrees(v)) return result(v, d);
  }
  // Still equal to the limit: round away from it when failed, towards it when passed.
  const away: Rounding = opts.bound === 'max' ? 'up' : 'down';
  const towards: Rounding = opts.bound === 'max' ? 'down' : 'up';
  let v = roundTo(value, last, opts.ok ? towards : away, unit);
  // A failure by less than the noise still shows one step beyond the limit.
  if (!agrees(v)) v = opts.ok ? shownLimit : shownLimit + (opts.bound === 'max' ? 1 : -1) / 10 ** last;
  return result(v, last);
}

export interface DifferenceBesideThreshold extends BesideThreshold {
  /** The two sides `a` and `b` of the difference `a − b`, with the difference's decimals. */
  a: string;
  b: string;
}

/**
 * A difference `a − b` (a rise, a drop) beside its limit, with its two sides, so that the line adds
 * up: the difference shown is the difference of the sides shown, and it agrees with the verdict.
 * Each number rounded on its own could not add up ("52 ms is 17 ms above 36 ms"). `rounding` is how
 * the sides are usually shown (as `pct` truncates a rate); decimals are added only where the
 * difference of the shown sides would contradict the verdict. Only a difference within a hundredth
 * of a step of its limit, where no side shown that way can tell it, falls back to `besideThreshold`.
 */
export function differenceBesideThreshold(
  a: number,
  b: number,
  limit: number,
  /** The sides are shown as `a * unit`, `b * unit`; the difference and the limit are in shown units. */
  opts: ThresholdOptions,
): DifferenceBesideThreshold {
  const unit = opts.unit ?? 1;
  const exact = besideThreshold((a - b) * unit, limit, { ok: opts.ok, bound: opts.bound, digits: opts.digits, rounding: 'nearest' });
  const shownLimit = Number(exact.limit);
  const beyond = (v: number): boolean => (opts.bound === 'max' ? v > shownLimit : v < shownLimit);
  const side = (x: number, d: number): number => roundTo(x, d, opts.rounding, unit);
  for (let d = opts.digits; d <= Math.max(opts.digits + EXTRA_DIGITS, exact.digits); d++) {
    const difference = Number((side(a, d) - side(b, d)).toFixed(d));
    if (beyond(difference) === !opts.ok) return { a: side(a, d).toFixed(d), b: side(b, d).toFixed(d), value: difference.toFixed(d), limit: exact.limit, digits: d };
  }
  return { ...exact, a: side(a, exact.digits).toFixed(exact.digits), b: side(b, exact.digits).toFixed(exact.digits) };
}

// Rates such as 0.995 come from division: a minimum is met with a little slack for float noise.
const meets = (rate: number, min: number): boolean => rate >= min - 1e-9;

/**
 * A fraction beside a minimum (pass rates, injection resistance), as percentages truncated like
 * `pct`. `ok` defaults to whether the value meets the minimum.
 */
export function percentsAtMinimum(value: number, min: number, ok = meets(value, min)): { value: string; limit: string; digits: number } {
  const shown = besideThreshold(value, min, { ok, bound: 'min', digits: 1, rounding: 'down', unit: 100 });
  return { value: `${shown.value}%`, limit: `${shown.limit}%`, digits: shown.digits };
}

/**
 * A fraction beside a minimum as a machine reads it (JUnit properties): four decimals to the
 * nearest, or more where that would contradict `ok` (2 of 3 against 0.66667 is 0.666667, not
 * 0.6667). `ok` defaults to whether the value meets the minimum.
 */
export function fractionAtMinimum(value: number, min: number, ok = meets(value, min)): string {
  return besideThreshold(value, min, { ok, bound: 'min', digits: 4, rounding: 'nearest' }).value;
}

/**
 * An attack success rate as a fraction to four decimals, rounded up, and its complement (injection
 * resistance) rounded down: as `attackRate` and `pct` show them, never understating an attack.
 */
export function attackFraction(fraction: number): string {
  return roundTo(fraction, 4, 'up').toFixed(4);
}
export function resistanceFraction(fraction: number): string {
  return roundTo(fraction, 4, 'down').toFixed(4);
}

/**
 * An attack success rate as a percentage, rounded up: never understate an attack (1 attack in 1,000
 * succeeding shows 0.1%, not 0.0%). Its complement, injection resistance, is truncated by `pct`.
 */
export function attackRate(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return '–';
  return `${roundTo(fraction, digits, 'up', 100).toFixed(digits)}%`;
}

/**
 * A p95 rise beside its check's limit, in milliseconds, as the check's sentence shows it
 * (render/comparison-text.ts `latencyMessage`) and the baseline rows beside it (render/deltas.ts
 * `comparedP95`): both p95s to the nearest ms, with decimals only where their difference would
 * otherwise contradict the verdict (`beyond`, core/gate-check.ts `latencyBeyond`).
 */
export function latencyRise(candidate: number, baseline: number, limit: number, beyond: boolean): DifferenceBesideThreshold {
  return differenceBesideThreshold(candidate, baseline, limit, { ok: !beyond, bound: 'max', digits: 0, rounding: 'half-up' });
}
