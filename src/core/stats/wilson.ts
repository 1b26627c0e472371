import { zFor } from './normal.js';

/**
 * The Wilson score interval for k successes in n trials (Wilson 1927): the proportions a score test
 * would not reject. Unlike the textbook p ± z·√(p(1-p)/n) it never leaves [0, 1], never has zero
 * width at 0 or n successes, and keeps close to its nominal coverage for small n (Newcombe 1998,
 * Brown, Cai & DasGupta 2001), which is what a 10-case suite needs.
 */

export interface Interval {
  /** The point estimate (k / n; 0 when n is 0). */
  estimate: number;
  lower: number;
  upper: number;
  confidence: number;
}

export function wilsonInterval(k: number, n: number, confidence = 0.95): Interval {
  if (!Number.isInteger(n) || n < 0 || !(k >= 0 && k <= n)) throw new RangeError(`need 0 <= k <= n, got k=${k}, n=${n}`);
  return wilsonFromRate(n === 0 ? 0 : k / n, n, confidence);
}

/**
 * The same interval from a rate and a (possibly fractional) sample size: the clustered interval
 * feeds it an effective sample size. No trials at all is the whole of [0, 1].
 */
export function wilsonFromRate(rate: number, n: number, confidence = 0.95): Interval {
  if (n <= 0) return { estimate: rate, lower: 0, upper: 1, confidence };
  const z = zFor(confidence, 2);
  const z2n = (z * z) / n;
  const centre = (rate + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((rate * (1 - rate)) / n + z2n / (4 * n));
  // At rate 0 or 1 a bound is exactly 0 or 1; float rounding must not leave 1e-17 there.
  return {
    estimate: rate,
    lower: rate === 0 ? 0 : Math.max(0, centre - half),
    upper: rate === 1 ? 1 : Math.min(1, centre + half),
    confidence,
  };
}
