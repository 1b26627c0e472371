import { percentile } from '../scoring/aggregate.js';
import { DEFAULT_STATS_SEED, orderStatistic, randomIndex, seededRandom } from './random.js';

/**
 * A bootstrap interval for the rise in a latency percentile (candidate minus baseline), for the
 * interleaved latency verdict: requests of both arms alternate against one server, so both samples
 * saw the same load and their difference is the prompt's effect. A percentile of a skewed latency
 * distribution has no usable closed-form standard error; resampling each arm's latencies
 * independently (the arms are separate requests) and recomputing the statistic gives its spread.
 * The percentile is the gate's own (`percentile`, nearest rank), so the interval surrounds the
 * number the gate shows. Percentile bootstrap, fixed default seed: reproducible.
 */

export type LatencyStatistic = 'p95' | 'median';

export interface LatencyDifferenceOptions {
  statistic?: LatencyStatistic;
  /** Two-sided confidence of [lower, upper]; default 0.95. `lowerOneSided` is at this confidence too. */
  confidence?: number;
  resamples?: number;
  seed?: number;
}

export interface LatencyDifference {
  statistic: LatencyStatistic;
  /** Candidate minus baseline, in the unit of the inputs (ms). */
  observed: number;
  lower: number;
  upper: number;
  /** One-sided lower bound at `confidence`: the rise is at least this much. */
  lowerOneSided: number;
  confidence: number;
  resamples: number;
}

const RANK: Readonly<Record<LatencyStatistic, number>> = { p95: 95, median: 50 };

/** The 1-based rank `percentile` (nearest rank) reads for the p-th percentile of n values. */
function nearestRank(n: number, p: number): number {
  return Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
}

/**
 * The statistic of one resample, without sorting it: drawing indices into the sorted values, the
 * rank-th smallest drawn index points at the rank-th smallest resampled value. Linear per
 * resample, where sorting each resample made a 500-request measurement take seconds.
 */
function resampledPercentile(sorted: readonly number[], rank: number, random: () => number, counts: Uint32Array): number {
  const n = sorted.length;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[randomIndex(random, n)]!++;
  let seen = 0;
  for (let i = 0; i < n; i++) {
    seen += counts[i]!;
    if (seen >= rank) return sorted[i]!;
  }
  return sorted[n - 1]!;
}

export function latencyDifferenceInterval(baseline: readonly number[], candidate: readonly number[], options: LatencyDifferenceOptions = {}): LatencyDifference {
  const statistic = options.statistic ?? 'p95';
  const confidence = options.confidence ?? 0.95;
  const resamples = options.resamples ?? 1999;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1), got ${confidence}`);
  if (baseline.length === 0 || candidate.length === 0) throw new RangeError('both arms need at least one latency');
  const p = RANK[statistic];
  const observed = percentile(candidate, p) - percentile(baseline, p);
  const random = seededRandom(options.seed ?? DEFAULT_STATS_SEED);
  const arms = [candidate, baseline].map((values) => {
    const sorted = [...values].sort((a, b) => a - b);
    return { sorted, rank: nearestRank(sorted.length, p), counts: new Uint32Array(sorted.length) };
  });
  const [cand, base] = arms as [(typeof arms)[0], (typeof arms)[0]];
  const diffs = new Array<number>(resamples);
  for (let b = 0; b < resamples; b++) {
    diffs[b] = resampledPercentile(cand.sorted, cand.rank, random, cand.counts) - resampledPercentile(base.sorted, base.rank, random, base.counts);
  }
  diffs.sort((x, y) => x - y);
  const tail = (1 - confidence) / 2;
  return {
    statistic,
    observed,
    lower: orderStatistic(diffs, tail),
    upper: orderStatistic(diffs, 1 - tail),
    lowerOneSided: orderStatistic(diffs, 1 - confidence),
    confidence,
    resamples,
  };
}

/** Exposed for the test that keeps the fast path equal to `percentile` on the same resample. */
export const internals = { nearestRank, resampledPercentile };
