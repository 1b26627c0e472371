import { percentile } from './scoring/aggregate.js';
import type { LatencyJudgement } from './gate-check.js';
import { latencyDifferenceInterval } from './stats/index.js';

export type { LatencyJudgement };

/**
 * The latency verdict (pure): only an interleaved measurement decides it. Separate runs of two
 * versions saw different loads (a busy machine during one of them), so their p95s differ by more
 * than the prompts do; a measurement alternates the two versions' requests against one server,
 * cache bypassed, and the rise in p95 is judged with a bootstrap bound, the rule the pass-rate
 * check uses: pass when the observed rise is within the limit; blocked when even the lower bound
 * exceeds it; inconclusive when only the observed rise does.
 */

export interface LatencyArms {
  /** Latencies in ms of the answered requests of each arm. */
  baseline: readonly number[];
  candidate: readonly number[];
}

export function judgeLatency(arms: LatencyArms, limitMs: number, confidence: number): LatencyJudgement {
  const requests = { baseline: arms.baseline.length, candidate: arms.candidate.length };
  if (!requests.baseline || !requests.candidate) {
    return { outcome: 'inconclusive', requests, baselineP95: 0, candidateP95: 0, rise: 0, lowerBound: 0, confidence };
  }
  const d = latencyDifferenceInterval(arms.baseline, arms.candidate, { statistic: 'p95', confidence });
  const outcome = d.observed <= limitMs ? 'pass' : d.lowerOneSided > limitMs ? 'regression' : 'inconclusive';
  return { outcome, requests, baselineP95: percentile([...arms.baseline], 95), candidateP95: percentile([...arms.candidate], 95), rise: d.observed, lowerBound: d.lowerOneSided, confidence };
}
