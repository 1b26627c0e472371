import { describe, expect, it } from 'vitest';
import { pairCounts, pairedRegressionVerdict } from '../../src/core/stats/regression-verdict.js';
import { createNoise } from '../../src/sim/noise.js';

/**
 * The noise model against issue 13's calibration setting, without HTTP (the bench runs it end to
 * end): 500 cases, mean base pass rate 85%, 5% flips, the two arms drawn with different request
 * seeds. Each trial is a fresh noise seed, so the trials are independent suites.
 */

const CASES = 500;
const none = { passDrop: 0, latencyMs: 0 };

function trial(seed: number, candidateDrop: number) {
  const noise = createNoise({ seed, passRate: 0.85, flipRate: 0.05 });
  return pairCounts(
    Array.from({ length: CASES }, (_, i) => {
      const caseKey = `user\u0000question ${i}`;
      return {
        baseline: noise.passes(caseKey, none, `1|${i}`),
        candidate: noise.passes(caseKey, { passDrop: candidateDrop, latencyMs: 0 }, `2|${i}`),
      };
    }),
  );
}

describe('noise mode calibration', () => {
  it('changes about 2·0.05·0.95 = 9.5% of verdicts between two runs of the same prompt', () => {
    let changed = 0;
    for (let seed = 0; seed < 20; seed++) {
      const c = trial(seed, 0);
      changed += c.worse + c.better;
    }
    expect(changed / (20 * CASES)).toBeCloseTo(0.095, 2);
  });

  it('gives the verdicts the issue asks for: no change passes, a 10-point drop is caught', () => {
    const outcomes = (drop: number) => Array.from({ length: 100 }, (_, seed) => pairedRegressionVerdict(trial(seed, drop), { maxDrop: 0.05 }).outcome);
    const same = outcomes(0);
    expect(same.filter((o) => o === 'regression').length).toBeLessThanOrEqual(1);
    expect(same.filter((o) => o === 'inconclusive').length).toBeLessThanOrEqual(5);
    const tenPoints = outcomes(0.1 / 0.9); // after 5% flips, pass-drop d lowers the pass rate by 0.9·d
    expect(tenPoints.filter((o) => o === 'regression').length).toBeGreaterThanOrEqual(75);
    expect(tenPoints.filter((o) => o !== 'pass').length).toBeGreaterThanOrEqual(97);
  });
});
