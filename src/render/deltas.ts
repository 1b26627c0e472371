import { differenceBesideThreshold, latencyRise, roundTo } from '../core/threshold-format.js';
import { pct } from '../core/percent.js';
import { int, ms } from './text.js';

/**
 * Two measurements side by side and their difference (a candidate against its baseline, a run
 * against the one before it): pass rates in points, latencies in `ms`'s units, each shown so that
 * the columns never contradict the check or verdict printed beside them.
 */

/** Signed difference of two fractions in percentage points: `+2.5 pts`, `−4.0 pts`. */
export function pointsDelta(now: number, before: number): string {
  // The difference of the two rates as `pct` shows them, so "90.4% vs 100.0%" reads −9.6, not −9.5.
  const d = Number((roundTo(now, 1, 'down', 100) - roundTo(before, 1, 'down', 100)).toFixed(1));
  if (d === 0) return '±0.0 pts';
  return `${d > 0 ? '+' : '−'}${Math.abs(d).toFixed(1)} pts`;
}

type ComparedSuite = { passRate: number; baselinePassRate: number | null; errored?: number; passRateLimit?: number };

/**
 * A baseline row's two pass rates and their Δ (`−3.0 pts`; '' without a baseline), as the row's
 * pass-rate check shows them: truncated to one decimal, or, beside a failed check whose drop would
 * then read as within its limit (94.91% vs 99.99%: "−5.0 pts", limit 5.0), with the decimals its
 * sentence uses ("−5.08 pts"), so the columns never contradict the verdict beside them.
 */
export function comparedRates(s: ComparedSuite): { candidate: string; baseline: string; delta: string } {
  if (s.baselinePassRate === null) return { candidate: pct(s.passRate), baseline: '–', delta: '' };
  if (s.passRateLimit !== undefined && s.baselinePassRate > s.passRate) {
    const shown = differenceBesideThreshold(s.baselinePassRate, s.passRate, s.passRateLimit, { ok: false, bound: 'max', digits: 1, rounding: 'down', unit: 100 });
    if (shown.digits > 1) return { candidate: `${shown.b}%`, baseline: `${shown.a}%`, delta: `−${shown.value} pts` };
  }
  return { candidate: pct(s.passRate), baseline: pct(s.baselinePassRate), delta: pointsDelta(s.passRate, s.baselinePassRate) };
}

/** A baseline comparison's pass rates, as its regression check compared them: `97.0% vs 100.0%`, then `(3 errored, left out)`. */
export function comparedRatesText(s: ComparedSuite): string {
  const shown = comparedRates(s);
  const rates = `${shown.candidate} vs ${shown.baseline}`;
  return s.errored ? `${rates} (${erroredLeftOutText(s.errored)})` : rates;
}

/** The cases a comparison left out because they errored on one side, as a table cell says it. */
export function erroredLeftOutText(errored: number): string {
  return `${int(errored)} errored, left out`;
}

/** A latency as `ms` shows it: whole milliseconds, or seconds to two decimals from 1 s on. */
function shownMs(n: number): number {
  return n < 1000 ? Math.round(n) : Number((n / 1000).toFixed(2)) * 1000;
}

/** Signed latency difference of the two latencies as `ms` shows them: `+12ms`, `−1.20s`, `±0ms`. */
export function msDelta(now: number, before: number): string {
  const d = Math.round(shownMs(now) - shownMs(before));
  if (d === 0) return '±0ms';
  return `${d > 0 ? '+' : '−'}${ms(Math.abs(d))}`;
}

type ComparedLatency = { p95: number; baselineP95: number | null; p95Check?: { limit: number; beyond: boolean } };

/**
 * A baseline row's two p95s and their Δ (`+12ms`; '' without a baseline), as `ms` shows them, or,
 * where that would contradict the suite's latency check (67ms vs 67ms, "±0ms", beside a failed
 * 0.3 ms rise with a limit of 0 ms), as the check's sentence shows them ("67.2ms vs 66.9ms", "+0.3ms").
 */
export function comparedP95(s: ComparedLatency): { candidate: string; baseline: string; delta: string } {
  if (s.baselineP95 === null) return { candidate: ms(s.p95), baseline: '–', delta: '' };
  const usual = { candidate: ms(s.p95), baseline: ms(s.baselineP95), delta: msDelta(s.p95, s.baselineP95) };
  const check = s.p95Check;
  if (!check || !(s.p95 > s.baselineP95)) return usual;
  if (Math.round(shownMs(s.p95) - shownMs(s.baselineP95)) > check.limit === check.beyond) return usual;
  const shown = latencyRise(s.p95, s.baselineP95, check.limit, check.beyond);
  return { candidate: `${shown.a}ms`, baseline: `${shown.b}ms`, delta: `+${shown.value}ms` };
}
