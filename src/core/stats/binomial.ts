/**
 * Binomial tail probabilities, summed term by term in log space: exact (to rounding) for the sizes
 * an eval has, where a normal approximation would be wrong in exactly the small suites that matter.
 * A tail is summed on its own side, so a p-value of 1e-12 keeps its digits instead of being 1 - (1 - p).
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

/** P(X = k) for X ~ Binomial(n, p). */
export function binomialPmf(k: number, n: number, p: number): number {
  checkArgs(n, p);
  if (!Number.isInteger(k) || k < 0 || k > n) return 0;
  if (p === 0) return k === 0 ? 1 : 0;
  if (p === 1) return k === n ? 1 : 0;
  return Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

function sumPmf(from: number, to: number, n: number, p: number): number {
  let s = 0;
  for (let i = from; i <= to; i++) s += binomialPmf(i, n, p);
  return Math.min(1, s);
}

/** P(X <= k). */
export function binomialLowerTail(k: number, n: number, p: number): number {
  checkArgs(n, p);
  if (k < 0) return 0;
  if (k >= n) return 1;
  return sumPmf(0, Math.floor(k), n, p);
}

/** P(X >= k). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  checkArgs(n, p);
  if (k <= 0) return 1;
  if (k > n) return 0;
  return sumPmf(Math.ceil(k), n, n, p);
}
