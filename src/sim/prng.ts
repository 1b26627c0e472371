/** Seeded randomness for the simulator, so faults and sampling are reproducible run to run. */

/** mulberry32, floats in [0, 1): the one seeded generator, shared with the statistics in core. */
import { seededRandom } from '../core/stats/random.js';

export const createPrng = seededRandom;

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
