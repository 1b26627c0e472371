import { seededRandom } from '../../../src/core/stats/random.js';
import type { PairedCounts } from '../../../src/core/stats/paired-difference.js';

/** Paired counts of `cases` cases drawn with the given chances of getting worse and better (seeded). */
export function drawPairs(random: () => number, cases: number, pWorse: number, pBetter: number): PairedCounts {
  let worse = 0;
  let better = 0;
  for (let i = 0; i < cases; i++) {
    const u = random();
    if (u < pWorse) worse++;
    else if (u < pWorse + pBetter) better++;
  }
  return { cases, worse, better };
}

export { seededRandom };
