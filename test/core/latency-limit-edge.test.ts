import { describe, expect, it } from 'vitest';
import { decideDeploy, type DeployGateInput, type SuiteRunFacts } from '../../src/core/gates.js';
import { judgeLatency } from '../../src/core/latency-verdict.js';
import { checkMessage } from '../../src/render/gate-text.js';
import { latencyWords } from '../../src/render/latency-words.js';
import { stagingGateInput } from '../support/gate-input.js';

/**
 * A p95 rise at its limit, where binary noise decides: latencies are recorded to 0.01 ms, and
 * 300.10 − 100.10 is 200.00000000000003 in floating point. A measured rise and one between separate
 * runs follow one rule (at the limit passes), and the numbers printed beside the limit agree with it.
 */

const golden = (p95: number): SuiteRunFacts => ({ suite: 'faq', kind: 'golden', passRate: 1, p95, piiLeaks: 0, systemPromptLeaks: 0 });

function input(baseline: number, candidate: number, measured: boolean): DeployGateInput {
  return stagingGateInput('llama-3-8b', {
    deployedInPreviousEnv: true,
    suiteRuns: [golden(candidate)],
    baseline: { version: '1.1.0', suiteRuns: [golden(baseline)] },
    // Every request of an arm takes the same time: the p95s, the rise and its bound are exact.
    ...(measured ? { latencyMeasurements: [{ suite: 'faq', kind: 'golden' as const, baseline: Array(40).fill(baseline), candidate: Array(40).fill(candidate) }] } : {}),
  });
}

const p95Check = (i: DeployGateInput) => {
  const check = decideDeploy(i).checks.find((c) => c.kind === 'p95-latency');
  if (check?.kind !== 'p95-latency') throw new Error('no p95 check');
  return check;
};

const how = ' (interleaved measurement, 40 + 40 requests, cache bypassed)';
const rows = [
  { baseline: 100.1, candidate: 300.1, ok: true, rose: 'p95 latency 300 ms is 200 ms above 100 ms on 1.1.0 (limit 200 ms)' },
  { baseline: 100.1, candidate: 300.09, ok: true, rose: 'p95 latency 300 ms is 200 ms above 100 ms on 1.1.0 (limit 200 ms)' },
  { baseline: 100.1, candidate: 300.11, ok: false, rose: 'p95 latency 300.11 ms is 200.01 ms above 100.10 ms on 1.1.0 (limit 200 ms)' },
  { baseline: 0.1, candidate: 200.1, ok: true, rose: 'p95 latency 200 ms is 200 ms above 0 ms on 1.1.0 (limit 200 ms)' },
];

describe('a p95 rise at its limit (latencies to 0.01 ms)', () => {
  it.each(rows)('measured interleaved: $candidate ms against $baseline ms is ok=$ok', (row) => {
    const check = p95Check(input(row.baseline, row.candidate, true));
    expect(check.measured?.outcome).toBe(row.ok ? 'pass' : 'regression');
    expect(check.ok).toBe(row.ok);
    // The rise (as --json shows it) is at the recorded resolution: 200, not 200.00000000000003.
    expect(check.rise).toBe(Number((row.candidate - row.baseline).toFixed(2)));
    const bound = row.ok ? '' : '; the rise is at least 200.01 ms (95% confidence)';
    expect(checkMessage(check)).toBe(`golden suite 'faq': ${row.rose}${how}${bound}`);
  });

  it.each(rows)('between separate runs: $candidate ms against $baseline ms is ok=$ok', (row) => {
    const check = p95Check(input(row.baseline, row.candidate, false));
    expect(check.ok).toBe(row.ok);
    expect(check.rise).toBe(Number((row.candidate - row.baseline).toFixed(2)));
    expect(checkMessage(check).startsWith(`golden suite 'faq': ${row.rose}`)).toBe(true);
  });

  it('eval --measure-latency shows the same verdict and numbers', () => {
    const judgement = judgeLatency({ baseline: Array(40).fill(100.1), candidate: Array(40).fill(300.1) }, 200, 0.95);
    expect(judgement.outcome).toBe('pass');
    const w = latencyWords({ promptId: 'p', version: '1.1.0', suite: 'golden', env: 'staging', baselineVersion: '1.0.0', limit: 200, judgement } as Parameters<typeof latencyWords>[0]);
    expect(w).toMatchObject({ candidate: '300', deployed: '100', rise: '+200', atLeast: '+200', limit: '+200', verdict: 'pass' });
  });
});
