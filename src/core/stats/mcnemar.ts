import { binomialLowerTail, binomialUpperTail } from './binomial.js';

/**
 * The exact (conditional) McNemar test on the discordant pairs of a paired comparison: given that
 * `worse + better` cases changed verdict, under "no change" each of them is equally likely to have
 * gone either way, so `worse` ~ Binomial(worse + better, 1/2). Concordant cases carry no
 * information about the direction and do not enter. Exact, so it stays valid with a handful of
 * discordant cases, where the chi-square version is not (Fagerland, Lydersen & Laake 2013).
 */

export interface DiscordantPairs {
  /** Cases that passed on the baseline and fail on the candidate. */
  worse: number;
  /** Cases that failed on the baseline and pass on the candidate. */
  better: number;
}

export interface McNemarResult {
  /** P(at least `worse` of the discordant cases got worse | no true change): the test that the candidate is worse. */
  pWorse: number;
  /** The same for "the candidate is better". */
  pBetter: number;
  /** Two-sided: twice the smaller tail, at most 1 (the usual doubling; equal counts give 1). */
  pTwoSided: number;
}

export function mcnemarExact({ worse, better }: DiscordantPairs): McNemarResult {
  for (const [name, v] of [['worse', worse], ['better', better]] as const) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a whole number >= 0, got ${v}`);
  }
  const m = worse + better;
  const pWorse = binomialUpperTail(worse, m, 0.5);
  const pBetter = binomialUpperTail(better, m, 0.5);
  const pTwoSided = Math.min(1, 2 * binomialLowerTail(Math.min(worse, better), m, 0.5));
  return { pWorse, pBetter, pTwoSided };
}
