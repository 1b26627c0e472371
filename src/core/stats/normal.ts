/**
 * The standard normal distribution, to double precision, for the score intervals and the power
 * helper. No library: core may only import pure packages, and none of ours has it.
 *
 * The CDF goes through erfc so the tails keep their relative precision (1 - Φ(x) computed as a
 * subtraction would lose every digit beyond x ≈ 8). The quantile starts from Abramowitz & Stegun
 * 26.2.23 (error < 4.5e-4) and polishes it with Newton steps on that CDF.
 */

const SQRT2 = Math.SQRT2;
const SQRT_PI = Math.sqrt(Math.PI);

/** erfc(x) for x >= 0. */
function erfcNonNegative(x: number): number {
  if (x < 2.5) {
    // erf(x) = 2/√π · e^{-x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)): every term positive, no cancellation.
    let term = x;
    let sum = x;
    for (let n = 1; n < 200 && term > sum * 1e-17; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-x * x) * sum;
  }
  // Continued fraction erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated
  // from the back; 60 levels are far more than x >= 2.5 needs for full precision.
  let f = x;
  for (let k = 60; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / SQRT_PI / f;
}

/** P(Z <= x) for a standard normal Z. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  const e = erfcNonNegative(Math.abs(x) / SQRT2) / 2;
  return x < 0 ? e : 1 - e;
}

/** P(Z > x), precise in the upper tail. */
export function normalSurvival(x: number): number {
  return normalCdf(-x);
}

function density(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

/** The x with P(Z <= x) = p. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`a probability must be in [0, 1], got ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const upper = p > 0.5;
  const q = upper ? 1 - p : p;
  const t = Math.sqrt(-2 * Math.log(q));
  let x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
  x = upper ? x : -x;
  for (let i = 0; i < 4; i++) {
    // Newton on the side of the tail we are in, so tiny tail probabilities keep their precision.
    const err = upper ? normalSurvival(x) - (1 - p) : normalCdf(x) - p;
    const step = (upper ? -err : err) / density(x);
    x -= step;
    if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(x))) break;
  }
  return x;
}

/** The z of a one-sided bound at `confidence` (0.95 → 1.645), or of a two-sided interval (0.95 → 1.960). */
export function zFor(confidence: number, sides: 1 | 2): number {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  return normalQuantile(sides === 1 ? confidence : (1 + confidence) / 2);
}
