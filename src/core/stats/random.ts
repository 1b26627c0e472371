/**
 * Seeded randomness for the resampling methods: the same data and seed give the same interval on
 * every machine, so a gate's verdict is reproducible and a test can pin it. Core never reads
 * Math.random; a caller passes a seed (or takes the fixed default) and each call builds its own
 * generator, so nothing is shared between calls.
 */

/** The seed every bootstrap uses unless told otherwise: fixed so a verdict is reproducible. */
export const DEFAULT_STATS_SEED = 20_260_313;

/** mulberry32: small and fast, with a period (2^32) far beyond the draws a bootstrap makes. Floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [0, n). */
export function randomIndex(random: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(random() * n));
}

/**
 * The value at the lower `share` of a bootstrap distribution, as the (⌊share·(B+1)⌋)-th smallest
 * of B sorted values (Davison & Hinkley 1997, §5.2): the usual percentile-bound convention.
 */
export function orderStatistic(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.floor(share * (sorted.length + 1));
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}
