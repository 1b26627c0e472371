import { wilsonFromRate, type Interval } from './wilson.js';

/**
 * The interval of a pass rate when each case ran several samples (repeat > 1). Samples of one case
 * are correlated (a hard case fails again and again), so counting them as independent trials would
 * give an interval far too narrow. The method:
 *  1. the variance of the pooled share p = Σ passes / Σ samples is the cluster-robust (sandwich)
 *     variance with cases as clusters: V = Σ_i (passes_i - p·samples_i)² / (Σ samples)²;
 *  2. the design effect deff = V / (p(1-p) / Σ samples) gives an effective number of independent
 *     trials n_eff = Σ samples / deff (Kish 1965), kept between the number of cases and the number
 *     of samples;
 *  3. the Wilson interval at (p, n_eff), the approach Korn & Graubard (1998) recommend for
 *     proportions from clustered samples.
 * With one sample per case V is exactly p(1-p)/n, so deff = 1 and this IS the Wilson interval on
 * the cases. When every sample passed (or every one failed) V is 0 and tells nothing about the
 * clustering: the cases count as the trials, the cautious choice (the samples of a case may agree
 * completely). The small-sample factor G/(G-1) of CR1 is left out on purpose: with it, one
 * sample per case would no longer give the Wilson interval.
 */

export interface CaseSampleCount {
  passes: number;
  samples: number;
}

export interface ClusteredInterval extends Interval {
  /** The effective number of independent trials the interval rests on. */
  effectiveTrials: number;
  cases: number;
  samples: number;
}

export function clusteredRateInterval(cases: readonly CaseSampleCount[], confidence = 0.95): ClusteredInterval {
  let passes = 0;
  let samples = 0;
  for (const c of cases) {
    if (!(c.samples >= 0 && c.passes >= 0 && c.passes <= c.samples)) {
      throw new RangeError(`each case needs 0 <= passes <= samples, got ${JSON.stringify(c)}`);
    }
    passes += c.passes;
    samples += c.samples;
  }
  const counted = cases.filter((c) => c.samples > 0).length;
  if (samples === 0) return { ...wilsonFromRate(0, 0, confidence), effectiveTrials: 0, cases: counted, samples };
  const p = passes / samples;
  let sumSquares = 0;
  for (const c of cases) sumSquares += (c.passes - p * c.samples) ** 2;
  const clusterVariance = sumSquares / (samples * samples);
  const binomialVariance = (p * (1 - p)) / samples;
  // Samples that agree with the overall share inside every case (V = 0 while p is not 0 or 1) are
  // less variable than independent trials: the cap below then counts every sample.
  let effective = binomialVariance === 0 ? counted : clusterVariance === 0 ? samples : samples * (binomialVariance / clusterVariance);
  effective = Math.min(samples, Math.max(Math.min(counted, samples), effective));
  return { ...wilsonFromRate(p, effective, confidence), effectiveTrials: effective, cases: counted, samples };
}
