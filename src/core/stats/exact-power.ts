import { binomialUpperTail } from './binomial.js';
import { pairedOutcome } from './regression-verdict.js';

/**
 * Exact power of the paired regression check when no case changes verdict by chance (noise 0: a
 * model at temperature 0, what `init` scaffolds). Then no case gets better, the number that gets
 * worse is Binomial(cases, trueDrop), and the check (regression-verdict.ts, the one rule) gives a
 * regression exactly when at least `fewestWorse` cases got worse, so the chance is that binomial
 * tail. The normal approximation (power.ts) overstated small suites: a 20-case suite it put at 30%
 * for a 10-point drop against a 5-point limit catches it 4.3% of the time. With noise the
 * approximation stays (said in the README).
 */

/** Beyond this many cases the approximation is used: it is close there, and the search costs. */
export const EXACT_POWER_MAX_CASES = 2000;

/** The fewest cases getting worse (none better) that make `cases` cases a regression; undefined when none can. */
export function fewestWorseForRegression(cases: number, maxDrop: number, confidence: number): number | undefined {
  const regression = (worse: number) => pairedOutcome({ cases, worse, better: 0 }, maxDrop, confidence).outcome === 'regression';
  if (!(cases >= 1) || !regression(cases)) return undefined;
  // More cases worse only raises the drop and its bound and lowers McNemar's p: the rule is monotone.
  let lo = 1;
  let hi = cases;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (regression(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The chance that `cases` noise-free cases give a regression verdict when the true drop is `trueDrop`. */
export function noiselessPower(cases: number, maxDrop: number, confidence: number, trueDrop: number): number {
  const fewest = fewestWorseForRegression(cases, maxDrop, confidence);
  return fewest === undefined ? 0 : binomialUpperTail(fewest, cases, trueDrop);
}
