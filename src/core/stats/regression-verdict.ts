import { mcnemarExact } from './mcnemar.js';
import { dropAboveMarginP, dropLowerBound, observedDrop, type PairedCounts } from './paired-difference.js';

/**
 * The paired regression decision for one suite: baseline and candidate on the same cases, matched
 * by case id, each case one verdict per side (with repeats, its verdict over its samples).
 * `maxDrop` limits the TRUE drop in pass rate:
 * - pass: the observed drop is within the limit, whatever the number of cases, so a small suite
 *   that shows no drop is never blocked for being small;
 * - regression: the one-sided lower confidence bound of the true drop (Tango's score bound,
 *   paired-difference.ts) exceeds the limit, and the exact McNemar test agrees that the candidate
 *   is worse at all (its one-sided p at most 1 - confidence). The second condition only matters
 *   for a handful of discordant cases, where the asymptotic bound alone could be too eager;
 * - inconclusive: the observed drop exceeds the limit but the bound does not, with an estimate of
 *   the number of cases that would decide it at the same rates.
 */

export type RegressionOutcome = 'pass' | 'regression' | 'inconclusive';

export interface RegressionVerdict {
  outcome: RegressionOutcome;
  /** Tango's bound + exact McNemar on case verdicts (whatever the repeat count: each case is one verdict per side). */
  method: 'paired-score';
  cases: number;
  /** Cases that got worse / better: passed on one side only. */
  worse: number;
  better: number;
  /** Fractions (0.1 = 10 points). A negative drop is an improvement. */
  observedDrop: number;
  lowerBound: number;
  maxDrop: number;
  confidence: number;
  /** One-sided p-value of "the true drop is at most maxDrop"; Holm corrects these across suites. */
  pValue: number;
  /** Exact McNemar one-sided p of "the candidate is worse at all". */
  mcnemarP: number;
  /** Inconclusive only: about how many cases, at the observed rates, would make the bound clear the limit. */
  casesToDecide?: number;
}

export interface RegressionOptions {
  /** Limit on the true drop, a fraction in [0, 1). */
  maxDrop: number;
  /** Level of the one-sided bound; default 0.95 (`gates.confidence`). */
  confidence?: number;
}

// Rates are fractions from divisions: 0.94 - 0.89 against 0.05 must not fail on float noise.
const RATE_SLACK = 1e-9;

/** Largest suite the case estimate searches; a decision needing more is said as this many. */
const MAX_CASES = 100_000_000;

export interface CasePair {
  baseline: boolean;
  candidate: boolean;
}

/** Discordance counts of paired verdicts. */
export function pairCounts(pairs: readonly CasePair[]): PairedCounts {
  let worse = 0;
  let better = 0;
  for (const p of pairs) {
    if (p.baseline && !p.candidate) worse++;
    else if (!p.baseline && p.candidate) better++;
  }
  return { cases: pairs.length, worse, better };
}

export function checkRegressionOptions({ maxDrop, confidence = 0.95 }: RegressionOptions): Required<RegressionOptions> {
  if (!(maxDrop >= 0 && maxDrop < 1)) throw new RangeError(`maxDrop must be in [0, 1), got ${maxDrop}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  return { maxDrop, confidence };
}

/** The three-way outcome from the observed drop and the bound (and the exact test's confirmation). */
export function classify(observed: number, lowerBound: number, maxDrop: number, confirmed = true): RegressionOutcome {
  if (observed <= maxDrop + RATE_SLACK) return 'pass';
  return lowerBound > maxDrop + RATE_SLACK && confirmed ? 'regression' : 'inconclusive';
}

/** The outcome alone (no estimate of the cases that would decide it): the one rule, for the verdict and for exact power. */
export function pairedOutcome(counts: PairedCounts, maxDrop: number, confidence: number): { outcome: RegressionOutcome; observed: number; lowerBound: number; mcnemarP: number } {
  const observed = observedDrop(counts);
  const lowerBound = dropLowerBound(counts, confidence);
  const mcnemarP = mcnemarExact({ worse: counts.worse, better: counts.better }).pWorse;
  return { outcome: classify(observed, lowerBound, maxDrop, mcnemarP <= 1 - confidence + RATE_SLACK), observed, lowerBound, mcnemarP };
}

export function pairedRegressionVerdict(counts: PairedCounts, options: RegressionOptions): RegressionVerdict {
  const { maxDrop, confidence } = checkRegressionOptions(options);
  const { outcome, observed, lowerBound, mcnemarP } = pairedOutcome(counts, maxDrop, confidence);
  const verdict: RegressionVerdict = {
    outcome,
    method: 'paired-score',
    cases: counts.cases,
    worse: counts.worse,
    better: counts.better,
    observedDrop: observed,
    lowerBound,
    maxDrop,
    confidence,
    pValue: dropAboveMarginP(counts, maxDrop),
    mcnemarP,
  };
  if (outcome === 'inconclusive') verdict.casesToDecide = pairedCasesToDecide(counts, maxDrop, confidence);
  return verdict;
}

/**
 * The smallest number of cases, above the current count, at which the same rates of worse and
 * better cases would give a regression verdict: "about N cases would decide it". Both conditions
 * count: the bound above the limit and the exact McNemar test (on the scaled counts, rounded).
 * Only meaningful when the observed drop exceeds the limit; then such an N exists, since the bound
 * tends to the observed drop as cases grow.
 */
export function pairedCasesToDecide(counts: PairedCounts, maxDrop: number, confidence: number): number {
  const { cases: n, worse, better } = counts;
  if (n === 0 || observedDrop(counts) <= maxDrop + RATE_SLACK) return n;
  const clears = (size: number): boolean => {
    const scaled = { cases: size, worse: (worse * size) / n, better: (better * size) / n };
    if (dropLowerBound(scaled, confidence) <= maxDrop + RATE_SLACK) return false;
    const exact = mcnemarExact({ worse: Math.round(scaled.worse), better: Math.round(scaled.better) });
    return exact.pWorse <= 1 - confidence + RATE_SLACK;
  };
  // The search starts above n: at n itself the verdict was not a regression.
  let lo = n;
  let hi = n;
  do {
    lo = hi;
    if (hi >= MAX_CASES) return MAX_CASES;
    hi = Math.min(MAX_CASES, hi * 2);
  } while (!clears(hi));
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (clears(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
