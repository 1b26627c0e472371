import { normalSurvival, zFor } from './normal.js';

/**
 * Tango's score interval for the difference of two paired proportions (Tango 1998, Statistics in
 * Medicine 17:891-908), here the true drop in pass rate Δ = P(worse) - P(better) when the same cases
 * run on a baseline and a candidate. Why this method:
 * - it is the score test inverted, so it respects the multinomial (bounds stay in [-1, 1], no zero
 *   width when nothing changed) and keeps close to nominal coverage in small samples, where the
 *   Wald interval does not (Newcombe 1998b; Fagerland, Lydersen & Laake 2014 recommend it);
 * - at Δ = 0 its statistic is exactly McNemar's (worse - better)/√(worse + better), so the bound
 *   and the McNemar test agree about "any drop at all";
 * - it tests a non-zero margin directly (Δ ≤ max drop), which the McNemar test cannot.
 * Counts may be fractional: the sample-size estimate scales observed counts to a larger suite.
 */

export interface PairedCounts {
  /** Cases compared (pairs). */
  cases: number;
  /** Passed on the baseline, fail on the candidate. */
  worse: number;
  /** Failed on the baseline, pass on the candidate. */
  better: number;
}

/**
 * The score statistic for H0: Δ = delta0 (Tango's T): (worse - better - n·δ) over its standard
 * error at the restricted maximum-likelihood estimate of P(better) under that Δ. Positive when the
 * observed drop is above delta0.
 */
export function tangoStatistic({ cases: n, worse: b, better: c }: PairedCounts, delta0: number): number {
  const numerator = b - c - n * delta0;
  if (n <= 0) return 0;
  // Restricted MLE of P(better): the positive root of 2n·q² + W·q - c·δ(1-δ) = 0.
  const w = -b - c + (2 * n - b + c) * delta0;
  const q = (Math.sqrt(Math.max(0, w * w + 8 * n * c * delta0 * (1 - delta0))) - w) / (4 * n);
  const variance = n * (2 * q + delta0 * (1 - delta0));
  if (!(variance > 1e-300)) return numerator > 0 ? Infinity : numerator < 0 ? -Infinity : 0;
  return numerator / Math.sqrt(variance);
}

/** One-sided p-value of H0: true drop <= margin, against "the drop is larger" (score test). */
export function dropAboveMarginP(counts: PairedCounts, margin: number): number {
  return normalSurvival(tangoStatistic(counts, margin));
}

/** The observed drop in pass rate, (worse - better) / cases; 0 for no cases. */
export function observedDrop({ cases, worse, better }: PairedCounts): number {
  return cases > 0 ? (worse - better) / cases : 0;
}

/** Root of tangoStatistic(Δ) = target between lo and hi, where the statistic decreases in Δ. */
function solve(counts: PairedCounts, target: number, lo: number, hi: number): number {
  // 80 halvings of an interval of width <= 2 leave it far below double precision.
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (tangoStatistic(counts, mid) > target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The one-sided lower confidence bound of the true drop: the smallest Δ the score test does not reject at `confidence`. */
export function dropLowerBound(counts: PairedCounts, confidence: number): number {
  checkCounts(counts);
  const estimate = observedDrop(counts);
  if (counts.cases === 0) return -1;
  if (estimate <= -1) return -1;
  return solve(counts, zFor(confidence, 1), -1, estimate);
}

/** The two-sided interval of the true drop at `confidence`, for reports. */
export function dropInterval(counts: PairedCounts, confidence = 0.95): { estimate: number; lower: number; upper: number } {
  checkCounts(counts);
  const estimate = observedDrop(counts);
  if (counts.cases === 0) return { estimate, lower: -1, upper: 1 };
  const z = zFor(confidence, 2);
  return {
    estimate,
    lower: estimate <= -1 ? -1 : solve(counts, z, -1, estimate),
    upper: estimate >= 1 ? 1 : solve(counts, -z, estimate, 1),
  };
}

function checkCounts({ cases, worse, better }: PairedCounts): void {
  if (!(cases >= 0 && worse >= 0 && better >= 0 && worse + better <= cases)) {
    throw new RangeError(`need 0 <= worse + better <= cases, got worse=${worse}, better=${better}, cases=${cases}`);
  }
}
