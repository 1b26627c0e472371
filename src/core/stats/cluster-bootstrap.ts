import { zFor } from './normal.js';
import { DEFAULT_STATS_SEED, orderStatistic, randomIndex, seededRandom } from './random.js';
import { checkRegressionOptions, classify, type RegressionOptions, type RegressionVerdict } from './regression-verdict.js';

/**
 * The paired regression decision when cases ran several samples (repeat > 1): a cluster bootstrap
 * over cases. The samples of one case are not independent (a hard case fails again and again), so
 * resampling samples would claim far more certainty than the suite holds; resampling whole cases,
 * each with its baseline and candidate samples, keeps both the within-case noise (each case's
 * observed share already carries it) and the pairing (Davison & Hinkley 1997, §3.8; Field &
 * Welsh 2007). The statistic is the drop in the share of passing samples, baseline minus
 * candidate, each pooled over the resampled cases. The bound is the percentile bound, the
 * seed fixed, so the same samples always give the same verdict.
 */

export interface CaseSamples {
  baselinePass: number;
  baselineSamples: number;
  candidatePass: number;
  candidateSamples: number;
}

export interface BootstrapOptions extends RegressionOptions {
  /** Number of resamples; default 1999 (B + 1 a multiple of 1/α keeps the percentile exact). */
  resamples?: number;
  seed?: number;
}

export const DEFAULT_RESAMPLES = 1999;

function pooledDrop(cases: readonly CaseSamples[], pick: (i: number) => number): number {
  let bp = 0;
  let bs = 0;
  let cp = 0;
  let cs = 0;
  for (let i = 0; i < cases.length; i++) {
    const c = cases[pick(i)]!;
    bp += c.baselinePass;
    bs += c.baselineSamples;
    cp += c.candidatePass;
    cs += c.candidateSamples;
  }
  return (bs > 0 ? bp / bs : 0) - (cs > 0 ? cp / cs : 0);
}

/** Sorted bootstrap replicates of the drop, reproducible from the seed. */
export function bootstrapDrops(cases: readonly CaseSamples[], resamples = DEFAULT_RESAMPLES, seed = DEFAULT_STATS_SEED): number[] {
  const random = seededRandom(seed);
  const n = cases.length;
  const drops = new Array<number>(resamples);
  for (let b = 0; b < resamples; b++) drops[b] = pooledDrop(cases, () => randomIndex(random, n));
  return drops.sort((x, y) => x - y);
}

function checkCases(cases: readonly CaseSamples[]): void {
  for (const c of cases) {
    const ok =
      c.baselineSamples >= 1 && c.candidateSamples >= 1 && c.baselinePass >= 0 && c.candidatePass >= 0 &&
      c.baselinePass <= c.baselineSamples && c.candidatePass <= c.candidateSamples;
    if (!ok) throw new RangeError(`each case needs 0 <= passes <= samples and at least one sample per side, got ${JSON.stringify(c)}`);
  }
}

export function clusteredRegressionVerdict(cases: readonly CaseSamples[], options: BootstrapOptions): RegressionVerdict {
  const { maxDrop, confidence } = checkRegressionOptions(options);
  checkCases(cases);
  const n = cases.length;
  const observed = pooledDrop(cases, (i) => i);
  const share = (c: CaseSamples, side: 'baseline' | 'candidate'): number =>
    side === 'baseline' ? c.baselinePass / c.baselineSamples : c.candidatePass / c.candidateSamples;
  const worse = cases.filter((c) => share(c, 'candidate') < share(c, 'baseline')).length;
  const better = cases.filter((c) => share(c, 'candidate') > share(c, 'baseline')).length;
  const base = { method: 'cluster-bootstrap' as const, cases: n, worse, better, observedDrop: observed, maxDrop, confidence };
  if (n === 0) return { ...base, outcome: 'pass', lowerBound: -1, pValue: 1 };
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const drops = bootstrapDrops(cases, resamples, options.seed ?? DEFAULT_STATS_SEED);
  const lowerBound = orderStatistic(drops, 1 - confidence);
  // (1 + #{replicates <= limit}) / (B + 1): p <= α exactly when the percentile bound clears the limit.
  const atOrBelow = countAtMost(drops, maxDrop);
  const pValue = Math.min(1, (1 + atOrBelow) / (resamples + 1));
  const outcome = classify(observed, lowerBound, maxDrop);
  const verdict: RegressionVerdict = { ...base, outcome, lowerBound, pValue };
  if (outcome === 'inconclusive') verdict.casesToDecide = bootstrapCasesToDecide(drops, observed, n, maxDrop, confidence);
  return verdict;
}

function countAtMost(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Cases that would decide it at the same per-case variability: the bootstrap standard error
 * shrinks as 1/√n, so the bound clears the limit once z·SE·√(n/N) < observed - limit.
 */
function bootstrapCasesToDecide(drops: readonly number[], observed: number, n: number, maxDrop: number, confidence: number): number {
  const mean = drops.reduce((s, d) => s + d, 0) / drops.length;
  const se = Math.sqrt(drops.reduce((s, d) => s + (d - mean) ** 2, 0) / Math.max(1, drops.length - 1));
  const gap = observed - maxDrop;
  if (!(gap > 0) || se === 0) return n;
  return Math.max(n + 1, Math.ceil(n * ((zFor(confidence, 1) * se) / gap) ** 2));
}
