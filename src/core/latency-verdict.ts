import { percentile } from './scoring/aggregate.js';
import type { LatencyJudgement, MeasuredCases } from './gate-check.js';
import { latencyDifferenceInterval } from './stats/index.js';

export type { LatencyJudgement, MeasuredCases };

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

/**
 * Fewest answered requests per arm for a p95 rise to be called a regression. Below 20, the
 * nearest-rank p95 is the arm's slowest request, and a bootstrap of a maximum cannot bound it
 * (Bickel & Freedman 1981): one request per arm gave every resample the same rise, a "regression
 * at 95% confidence" from two requests. Such a rise beyond the limit is inconclusive.
 */
export const MIN_P95_REQUESTS = 20;

/**
 * A latency difference (a rise, its bound) at the resolution latencies are recorded to, 0.01 ms
 * (infra/eval/exchange.ts, infra/model/chat-wire.ts): binary noise is gone, so 300.10 − 100.10 is
 * 200, not 200.00000000000003, both in the verdict and in the numbers shown beside it.
 */
export const atRecordedResolution = (ms: number): number => Math.round(ms * 100) / 100;

/**
 * Whether a p95 rise (or its lower bound), in ms, is beyond the limit, compared at the recorded
 * resolution: the one rule for a measured rise and for one between separate runs
 * (core/gate-regression.ts), so a rise exactly at the limit passes on either path.
 */
export const riseBeyondLimit = (riseMs: number, limitMs: number): boolean => atRecordedResolution(riseMs) > limitMs;

export function judgeLatency(arms: LatencyArms, limitMs: number, confidence: number): LatencyJudgement {
  const requests = { baseline: arms.baseline.length, candidate: arms.candidate.length };
  if (!requests.baseline || !requests.candidate) {
    return { outcome: 'inconclusive', requests, baselineP95: 0, candidateP95: 0, rise: 0, lowerBound: 0, confidence };
  }
  const d = latencyDifferenceInterval(arms.baseline, arms.candidate, { statistic: 'p95', confidence });
  const bounded = Math.min(requests.baseline, requests.candidate) >= MIN_P95_REQUESTS;
  const outcome = !riseBeyondLimit(d.observed, limitMs) ? 'pass' : bounded && riseBeyondLimit(d.lowerOneSided, limitMs) ? 'regression' : 'inconclusive';
  // Too few requests: the bootstrap's bound means nothing, and a bound beyond the limit must only stand beside a regression.
  const lowerBound = atRecordedResolution(bounded ? d.lowerOneSided : Math.min(d.lowerOneSided, limitMs));
  return { outcome, requests, baselineP95: percentile([...arms.baseline], 95), candidateP95: percentile([...arms.candidate], 95), rise: atRecordedResolution(d.observed), lowerBound, confidence };
}

/**
 * The cases of a suite (its case ids now) that both arms of a measurement ran. A measurement of
 * fewer than all of them (`eval --case`, `--tag`, `--sample`, `--filter-failing`, or attacks shipped
 * since) is a selection: its p95 is of hand-picked requests, so it is shown, never a deploy verdict,
 * and it never replaces a measurement of the whole suite. Counted from the arms' samples, so
 * measurements recorded before this rule are told apart too.
 */
export function measuredCases(suiteCaseIds: readonly string[], baselineCases: ReadonlySet<string>, candidateCases: ReadonlySet<string>): MeasuredCases {
  return { cases: suiteCaseIds.filter((id) => baselineCases.has(id) && candidateCases.has(id)).length, of: suiteCaseIds.length };
}

export const isWholeSuite = (m: MeasuredCases): boolean => m.cases === m.of;
