/**
 * Statistics for verdicts that know noise from regressions (issue 13): intervals for rates, the
 * paired regression decision, Holm across suites, power, and latency differences. Pure functions;
 * every resampling method takes a seed (fixed by default), so a verdict is reproducible.
 */
export { wilsonInterval, wilsonFromRate, type Interval } from './wilson.js';
export { clusteredRateInterval, type CaseSampleCount, type ClusteredInterval } from './clustered-rate.js';
export { pairByCase, type CasePairs, type CaseResult } from './pairing.js';
export { mcnemarExact, type DiscordantPairs, type McNemarResult } from './mcnemar.js';
export { dropInterval, dropLowerBound, dropAboveMarginP, observedDrop, tangoStatistic, type PairedCounts } from './paired-difference.js';
export {
  pairCounts,
  pairedCasesToDecide,
  pairedRegressionVerdict,
  type CasePair,
  type RegressionOptions,
  type RegressionOutcome,
  type RegressionVerdict,
} from './regression-verdict.js';
export { decideSuites, holm, type HolmResult, type SuiteComparison, type SuiteVerdict } from './holm.js';
export { casesForPower, detectableDrop, expectedDiscordance, regressionPower, type PowerAssumptions } from './power.js';
export { latencyDifferenceInterval, type LatencyDifference, type LatencyDifferenceOptions, type LatencyStatistic } from './latency-bootstrap.js';
export { normalCdf, normalQuantile, zFor } from './normal.js';
export { DEFAULT_STATS_SEED, seededRandom } from './random.js';
