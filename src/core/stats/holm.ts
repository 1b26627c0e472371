import type { PairedCounts } from './paired-difference.js';
import { checkRegressionOptions, pairedRegressionVerdict, type RegressionOptions, type RegressionVerdict } from './regression-verdict.js';

/**
 * Holm's step-down correction (Holm 1979) across the suites one version is compared on: with
 * five suites each checked at 95%, the chance that at least one flags a regression that is not
 * there is near 23%; Holm keeps that family-wise chance at 5% and, unlike Bonferroni, loses
 * little power when only one suite really regressed. It needs no assumption about how the
 * suites' results depend on one another.
 */

export interface HolmResult {
  /** Holm-adjusted p-values, in input order (monotone in the sorted order, at most 1). */
  adjusted: number[];
  /** Rejected at family-wise level alpha, in input order. */
  rejected: boolean[];
  /**
   * The confidence each hypothesis is effectively tested at: 1 - alpha / (m - rank + 1) for the
   * ones the step-down reached, and the level of the step where it stopped for the rest.
   */
  levels: number[];
}

export function holm(pValues: readonly number[], alpha = 0.05): HolmResult {
  const m = pValues.length;
  const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
  const adjusted = new Array<number>(m).fill(1);
  const rejected = new Array<boolean>(m).fill(false);
  const levels = new Array<number>(m).fill(1 - alpha);
  let running = 0;
  let stopped = false;
  let stopLevel = 1 - alpha;
  order.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
    const level = 1 - alpha / (m - rank);
    if (!stopped && p <= alpha / (m - rank)) {
      rejected[i] = true;
      levels[i] = level;
    } else {
      if (!stopped) stopLevel = level;
      stopped = true;
      levels[i] = stopLevel;
    }
  });
  return { adjusted, rejected, levels };
}

/** One suite of a version's comparison: its cases paired by id, counted (each case one verdict per side). */
export interface SuiteComparison {
  suite: string;
  counts: PairedCounts;
}

export interface SuiteVerdict extends RegressionVerdict {
  suite: string;
  /** Holm-adjusted p-value across the suites compared, of the larger of Tango's and McNemar's p. */
  adjustedPValue: number;
  /** How many suites the correction ran over. */
  familySize: number;
}

/**
 * Every suite's verdict with the family-wise level held at `confidence`: each suite is decided
 * again at the level Holm tests it at, so its bound, its outcome and its adjusted p-value say the
 * same thing. A pass stays a pass (it rests on the observed drop only).
 */
export function decideSuites(suites: readonly SuiteComparison[], options: RegressionOptions, family = suites.length): SuiteVerdict[] {
  const { confidence } = checkRegressionOptions(options);
  const first = suites.map((s) => pairedRegressionVerdict(s.counts, options));
  // The family is every suite the version is judged on, compared now or not: a suite with no pair of
  // runs yet counts as a hypothesis not rejected (p = 1), so running it later never turns a
  // verdict on another suite from a regression into a warning.
  const untested = Array.from({ length: Math.max(0, family - suites.length) }, () => 1);
  // A regression needs both Tango's bound and the exact McNemar test at the level (an intersection-union
  // test), so its p-value is the larger of the two: Holm then orders by it, and its step-down stops at a
  // suite whose McNemar test does not confirm, instead of going on to test a weaker suite at a looser level.
  const { adjusted, levels } = holm([...first.map((v) => Math.max(v.pValue, v.mcnemarP)), ...untested], 1 - confidence);
  return suites.map((s, i) => {
    // 1 - (1 - c) / 1 is c give or take one ulp; keep the caller's value when it is the same level.
    const level = Math.abs(levels[i]! - confidence) < 1e-12 ? confidence : levels[i]!;
    const verdict = level === confidence ? first[i]! : pairedRegressionVerdict(s.counts, { ...options, confidence: level });
    return { ...verdict, suite: s.suite, adjustedPValue: adjusted[i]!, familySize: Math.max(family, suites.length) };
  });
}
