import { describe, expect, it } from 'vitest';
import { judgeLatency, MIN_P95_REQUESTS } from '../../src/core/latency-verdict.js';
import { latencyDifferenceInterval } from '../../src/core/stats/latency-bootstrap.js';
import { latencyWords } from '../../src/render/latency-words.js';

/** The interleaved latency verdict on small and reordered measurements. */

const arm = (n: number, base: number, step = 7): number[] => Array.from({ length: n }, (_, i) => base + ((i * step) % 97));

describe('judgeLatency', () => {
  it.each([1, 5, MIN_P95_REQUESTS - 1])('never calls a rise a regression from %i requests per arm (the p95 is the slowest request)', (n) => {
    const j = judgeLatency({ baseline: arm(n, 100), candidate: arm(n, 5000) }, 200, 0.95);
    expect(j.outcome).toBe('inconclusive');
    expect(j.lowerBound).toBeLessThanOrEqual(200);
    expect(j.rise).toBeGreaterThan(4000);
  });

  it.each([
    [25, 5],
    [5, 25],
    [MIN_P95_REQUESTS, MIN_P95_REQUESTS - 1],
  ])('never calls a rise a regression when one arm is short: %i baseline and %i candidate requests', (nBase, nCand) => {
    const j = judgeLatency({ baseline: arm(nBase, 100), candidate: arm(nCand, 5000) }, 200, 0.95);
    expect(j.outcome).toBe('inconclusive');
    expect(j.requests).toEqual({ baseline: nBase, candidate: nCand });
  });

  it.each([1, MIN_P95_REQUESTS, 60])('passes a rise equal to the limit (every request 200 ms slower; latencies are whole ms), %i requests per arm', (n) => {
    const j = judgeLatency({ baseline: arm(n, 100), candidate: arm(n, 300) }, 200, 0.95);
    expect(j.rise).toBe(200);
    expect(j.outcome).toBe('pass');
  });

  it('still blocks the same rise measured on enough requests, and passes a small suite that shows none', () => {
    expect(judgeLatency({ baseline: arm(MIN_P95_REQUESTS, 100), candidate: arm(MIN_P95_REQUESTS, 5000) }, 200, 0.95).outcome).toBe('regression');
    expect(judgeLatency({ baseline: [100], candidate: [120] }, 200, 0.95).outcome).toBe('pass');
  });

  it('shows no bound beside a measurement too small to have one', () => {
    const judgement = judgeLatency({ baseline: [100], candidate: [5000] }, 200, 0.95);
    const w = latencyWords({ promptId: 'p', version: '1.1.0', suite: 'golden', env: 'staging', baselineVersion: '1.0.0', limit: 200, judgement } as Parameters<typeof latencyWords>[0]);
    expect(w).toMatchObject({ atLeast: null, verdict: 'inconclusive' });
  });
});

describe('latencyDifferenceInterval', () => {
  it('does not depend on the order of the requests', () => {
    const base = arm(60, 100, 13);
    const cand = arm(60, 180, 29);
    const a = latencyDifferenceInterval(base, cand);
    expect(latencyDifferenceInterval([...base].reverse(), [...cand.slice(17), ...cand.slice(0, 17)])).toEqual(a);
  });
});
