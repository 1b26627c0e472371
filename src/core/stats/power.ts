import { EXACT_POWER_MAX_CASES, noiselessPower } from './exact-power.js';
import { normalCdf, zFor } from './normal.js';
import { tangoStatistic } from './paired-difference.js';

/**
 * How many cases a suite needs for its paired regression check to catch a real regression, with
 * the normal approximation of the score test the check uses (Tango 1998 §4; Nam 1997 for the
 * matched-pairs margin test; at a zero limit it is Connor's 1987 McNemar formula); exact when no
 * case changes verdict by chance (exact-power.ts), where the approximation overstated small suites.
 *
 * The assumption, stated because the answer rests on it: between two runs of the candidate and
 * the baseline, a share `noiseDiscordance` of cases changes verdict by chance alone, half of them
 * each way; a true drop `trueDrop` adds that share of cases that newly fail and fix none. So
 *   P(worse) = noiseDiscordance / 2 + trueDrop,  P(better) = noiseDiscordance / 2.
 * `noiseDiscordance` is 0 for a deterministic model (temperature 0) and at most
 * 2·p·(1 - p) for a baseline pass rate p, when every verdict is an independent draw; with repeats,
 * `expectedDiscordance` estimates it from each case's share of passing samples.
 */

export interface PowerAssumptions {
  /** Pass rate of the baseline, a fraction. */
  baselinePassRate: number;
  /** The configured limit on the true drop. */
  maxDrop: number;
  /** Share of cases that change verdict between two runs of the same prompt. */
  noiseDiscordance: number;
  /** The true drop to catch; default twice the limit (10 points for a 5-point limit). */
  trueDrop?: number;
  /** Confidence of the check; default 0.95. */
  confidence?: number;
  /** Wanted chance of a regression verdict; default 0.8. */
  power?: number;
}

/**
 * Whether the check can reject at all with `cases` cases: it also needs the exact McNemar test
 * (regression-verdict.ts), whatever the repeat count (each case is one verdict per side), and n
 * cases can never give it a p below 0.5^n, so a suite too small for that catches nothing.
 */
function attainable(cases: number, a: PowerAssumptions): boolean {
  return 0.5 ** cases < 1 - (a.confidence ?? 0.95);
}

interface Cells {
  worse: number;
  better: number;
  drop: number;
  margin: number;
  zAlpha: number;
}

function cells(a: PowerAssumptions): Cells {
  const { baselinePassRate: p, maxDrop, noiseDiscordance: d } = a;
  const drop = a.trueDrop ?? 2 * maxDrop;
  const worse = d / 2 + drop;
  const better = d / 2;
  if (!(p > 0 && p <= 1)) throw new RangeError(`baselinePassRate must be in (0, 1], got ${p}`);
  if (!(maxDrop >= 0 && maxDrop < 1)) throw new RangeError(`maxDrop must be in [0, 1), got ${maxDrop}`);
  if (!(d >= 0)) throw new RangeError(`noiseDiscordance must be >= 0, got ${d}`);
  if (!(drop > maxDrop)) throw new RangeError(`trueDrop (${drop}) must exceed maxDrop (${maxDrop}): a drop at the limit is not a regression`);
  // Only passing cases can get worse and only failing ones better.
  if (worse > p + 1e-12 || better > 1 - p + 1e-12) {
    throw new RangeError(`a baseline pass rate of ${p} cannot have ${worse} of cases get worse and ${better} get better`);
  }
  return { worse, better, drop, margin: maxDrop, zAlpha: zFor(a.confidence ?? 0.95, 1) };
}

/** Standard deviations (per √case) of the drop estimate under the limit (score test's null) and under the true drop. */
function spreads(c: Cells): { null: number; alt: number } {
  // Tango's statistic on one "average" case: its denominator is the null spread at the expected cells.
  const unit = { cases: 1, worse: c.worse, better: c.better };
  const t = tangoStatistic(unit, c.margin);
  const nullSd = t === 0 || !Number.isFinite(t) ? 0 : (c.worse - c.better - c.margin) / t;
  const altSd = Math.sqrt(Math.max(0, c.worse + c.better - c.drop * c.drop));
  return { null: nullSd, alt: altSd };
}

/** Noise 0 and few enough cases: the exact chance (exact-power.ts) instead of the approximation. */
const exactFor = (cases: number, a: PowerAssumptions) => a.noiseDiscordance === 0 && cases <= EXACT_POWER_MAX_CASES;

/** The chance that a suite of `cases` cases gives a regression verdict when the assumptions hold. */
export function regressionPower(cases: number, a: PowerAssumptions): number {
  const c = cells(a);
  const s = spreads(c);
  if (cases <= 0 || !attainable(cases, a)) return 0;
  if (exactFor(cases, a)) return noiselessPower(cases, c.margin, a.confidence ?? 0.95, c.drop);
  if (s.alt === 0) return 1;
  return normalCdf((Math.sqrt(cases) * (c.drop - c.margin) - c.zAlpha * s.null) / s.alt);
}

/** The smallest number of cases whose regression check reaches the wanted power (default 80%). */
export function casesForPower(a: PowerAssumptions): number {
  const c = cells(a);
  const s = spreads(c);
  const zBeta = zFor(a.power ?? 0.8, 1);
  const n = ((c.zAlpha * s.null + zBeta * s.alt) / (c.drop - c.margin)) ** 2;
  let fewest = 1;
  while (!attainable(fewest, a)) fewest++;
  const approximate = Math.max(fewest, Math.ceil(n - 1e-9));
  if (!exactFor(approximate, a)) return approximate;
  // Exact: the smallest suite that reaches the power, searched upwards from well below the
  // approximation (which overstates small suites, so the answer is rarely below it). Power is not
  // monotone in the cases (the count of worse cases needed steps up now and then): a few sizes
  // just above the answer may fall slightly short of it.
  const wanted = a.power ?? 0.8;
  for (let cases = Math.max(fewest, Math.floor(approximate / 2)); cases <= EXACT_POWER_MAX_CASES; cases++) {
    if (regressionPower(cases, a) >= wanted) return cases;
  }
  return Math.max(approximate, EXACT_POWER_MAX_CASES + 1);
}

/**
 * The share of cases expected to change verdict between two independent runs of the same prompt,
 * from each case's share of passing samples r: a case disagrees with itself with chance 2·r·(1 - r).
 */
export function expectedDiscordance(casePassRates: readonly number[]): number {
  if (casePassRates.length === 0) return 0;
  return casePassRates.reduce((s, r) => s + 2 * r * (1 - r), 0) / casePassRates.length;
}

/**
 * The smallest true drop a suite of `cases` cases catches with the wanted power (default 80%):
 * "how large a change the suite can even detect". `trueDrop` in the assumptions is ignored.
 * Undefined when no drop the baseline pass rate allows is caught that often.
 */
export function detectableDrop(cases: number, a: Omit<PowerAssumptions, 'trueDrop'>): number | undefined {
  const wanted = a.power ?? 0.8;
  // The largest drop the baseline allows: every passing case not already counted as noise.
  const most = a.baselinePassRate - a.noiseDiscordance / 2;
  if (!(most > a.maxDrop) || regressionPower(cases, { ...a, trueDrop: most }) < wanted) return undefined;
  let lo = a.maxDrop;
  let hi = most;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (mid > a.maxDrop && regressionPower(cases, { ...a, trueDrop: mid }) >= wanted) hi = mid;
    else lo = mid;
  }
  return hi;
}
