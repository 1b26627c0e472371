import type { CaseOutcome, RunOutcome } from '../../src/core/schemas/report.js';
import type { RunRecord, SampleResult } from '../../src/core/schemas/run.js';

/** Small literal run outcomes for the HTML report's unit tests. */

export const HOSTILE =
  '</script><script>alert(1)</script><!-- <img src=x onerror=alert(2)> & &amp; \u2028\u2029 \u001b[31mred\u001b[0m \u202eevil\u202c ]]> `${x}` "q" \'s\'';

export function sample(over: Partial<SampleResult> & Pick<SampleResult, 'caseId'>): SampleResult {
  return { runId: 'run-a', sample: 0, verdict: 'pass', output: 'Refunds are available within 30 days.', reasons: [], latencyMs: 40, tokensIn: 100, tokensOut: 20, cached: false, ...over };
}

export function caseOf(caseId: string, samples: SampleResult[], over: Partial<CaseOutcome> = {}): CaseOutcome {
  const passed = samples.filter((s) => s.verdict === 'pass').length;
  const verdict = samples.some((s) => s.verdict === 'fail') ? 'fail' : samples.every((s) => s.verdict === 'error') ? 'error' : 'pass';
  return { caseId, verdict, passRate: samples.length ? passed / samples.length : 0, minPassRate: 1, samples, ...over };
}

export function runRecord(over: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 'run-a',
    invocationId: 'inv-0001',
    inputsKey: 'k1',
    promptId: 'support-answer',
    version: '1.1.0',
    promptHash: 'h1',
    suite: 'golden',
    suiteKind: 'golden',
    suiteHash: 's1',
    model: 'sim-model',
    server: 'http://127.0.0.1:8000/v1',
    promptctlVersion: '0.1.0',
    status: 'finished',
    startedAt: '2025-01-02T03:04:05.000Z',
    endedAt: '2025-01-02T03:04:17.500Z',
    ...over,
  };
}

/** A golden run of `version`: refund passes, shipping fails on `version` 1.2.0, hours errors. */
export function goldenOutcome(version: string, opts: { hostile?: boolean; runId?: string } = {}): RunOutcome {
  const runId = opts.runId ?? `run-${version}`;
  const worse = version === '1.2.0';
  const cases = [
    caseOf('refund-window', [sample({ runId, caseId: 'refund-window', output: worse ? 'You can ask for a refund within 30 days of purchase.' : 'Refunds are available within 30 days.' })]),
    caseOf('shipping-time', [
      sample({
        runId,
        caseId: 'shipping-time',
        verdict: worse ? 'fail' : 'pass',
        output: worse ? (opts.hostile ? HOSTILE : 'Shipping is fast.') : 'Standard shipping takes 3 to 5 business days.',
        reasons: worse ? [{ expectation: 'contains', message: 'output does not contain "5 business days"', expected: '5 business days', actual: 'Shipping is fast.' }] : [],
      }),
    ]),
    caseOf('support-hours', [sample({ runId, caseId: 'support-hours', verdict: 'error', output: '', error: 'timeout after 30000ms' })]),
  ];
  const run = runRecord({ id: runId, version, summary: undefined });
  return { run, threshold: 0.75, cases };
}
