/**
 * Binomial tail probabilities, summed term by term: exact (to rounding) for the sizes an eval
 * has, where a normal approximation would be wrong in exactly the small suites that matter.
 * A tail is summed on its own side of the mode, from its inner end outwards, in log space (one
 * term from the previous by the ratio of consecutive terms), and stops once the terms no longer
 * change the sum: linear at worst and short for far tails, so a p-value of 1e-12 keeps its digits
 * instead of being 1 - (1 - p), and a million trials cost no more than the terms that matter.
 */

function logChoose(n: number, k: number): number {
  let s = 0;
  const m = Math.min(k, n - k);
  for (let i = 1; i <= m; i++) s += Math.log((n - m + i) / i);
  return s;
}

function checkArgs(n: number, p: number): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number >= 0, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
}

function logPmf(k: number, n: number, p: number): number {
  return logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
}

/** P(X = k) for X ~ Binomial(n, p). */
export function binomialPmf(k: number, n: number, p: number): number {
  checkArgs(n, p);
  if (!Number.isInteger(k) || k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(logPmf(k, n, p));
}

/** Σ P(X = i) for i from `from` stepping by `step` (±1) until `to`, starting at `from` (0 < p < 1). */
function sumFrom(from: number, to: number, step: 1 | -1, n: number, p: number): number {
  const odds = Math.log(p) - Math.log1p(-p);
  let logTerm = logPmf(from, n, p);
  let sum = 0;
  for (let i = from; step > 0 ? i <= to : i >= to; i += step) {
    const term = Math.exp(logTerm);
    sum += term;
    // Moving away from the mode the terms only shrink: stop once they no longer count.
    if (term <= sum * 1e-17 && sum > 0) break;
    logTerm += step > 0 ? Math.log((n - i) / (i + 1)) + odds : Math.log(i / (n - i + 1)) - odds;
  }
  return sum;
}

/** P(X <= k). */
export function binomialLowerTail(k: number, n: number, p: number): number {
  checkArgs(n, p);
  if (k < 0) return 0;
  if (k >= n) return 1;
  const kk = Math.floor(k);
  if (p === 0) return 1;
  if (p === 1) return 0;
  // Below the mode the lower tail is summed downwards from k; otherwise it is 1 - the upper tail.
  if (kk < n * p) return Math.min(1, sumFrom(kk, 0, -1, n, p));
  return Math.max(0, 1 - sumFrom(kk + 1, n, 1, n, p));
}

/** P(X >= k). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  checkArgs(n, p);
  if (k <= 0) return 1;
  if (k > n) return 0;
  const kk = Math.ceil(k);
  if (p === 0) return 0;
  if (p === 1) return 1;
  if (kk > n * p) return Math.min(1, sumFrom(kk, n, 1, n, p));
  return Math.max(0, 1 - sumFrom(kk - 1, 0, -1, n, p));
}
