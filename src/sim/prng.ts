/** Seeded randomness for the simulator, so faults and sampling are reproducible run to run. */

/** mulberry32: tiny, fast, good enough for fault draws; returns floats in [0, 1). */
export function createPrng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A float in [0, 1) derived from a string: the same input always gives the same value. */
export function hashToUnit(s: string): number {
  // FNV-1a then one mulberry32 round to spread nearby inputs (seed 1 vs seed 2) apart.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return createPrng(h)();
}
