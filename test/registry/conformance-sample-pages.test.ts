import { describe, expect } from 'vitest';
import type { SampleResult } from '../../src/core/schemas/run.js';
import { backends, freshPerTest } from './backends.js';

/**
 * A page of a run's samples (`getSamples(runId, { caseIds })`, what the HTML report reads) holds every
 * field of each sample exactly as the whole run's read does, on SQLite and PostgreSQL alike.
 */

const base = { runId: 'r1', sample: 0, reasons: [], latencyMs: 3.5, tokensIn: 5, tokensOut: 6, cached: false } satisfies Partial<SampleResult>;
const samples: SampleResult[] = [
  {
    ...base, caseId: 'tool-call', verdict: 'pass', output: '',
    exchange: { toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris \u0000 🙂"}' }], answer: { tokensOut: 2, latencyMs: 1.25 } },
  },
  {
    ...base, caseId: 'conversation', verdict: 'fail', output: 'cut mid-', cached: true,
    reasons: [{ expectation: 'contains', message: 'missing "done"', expected: 'done', actual: 'cut mid-' }],
    exchange: { turns: ['first reply', ''], turnToolCalls: [[{ name: 'lookup', arguments: '{}' }], []], truncated: true, tokensUnreported: true },
  },
  { ...base, caseId: 'leak', verdict: 'fail', output: 'CANARY-1', category: 'extraction', leaks: ['canary', 'pii'], reasons: [{ expectation: 'no-leak', message: 'canary found' }] },
  { ...base, caseId: 'error', verdict: 'error', output: '', error: 'timeout after 30000 ms', tokensIn: 0, tokensOut: 0 },
  { ...base, caseId: 'plain', verdict: 'pass', output: 'ünïcödé 🙂', sample: 1 },
];

describe.each(backends())('$name registry: a page of samples', (backend) => {
  const { store, test } = freshPerTest(backend);

  test('reads every field of the cases asked for as the whole run does: exchange, leaks, error, cached, reasons', async () => {
    const reg = store.open();
    await reg.createRun({
      id: 'r1', invocationId: 'inv-1', inputsKey: 'inputs-1', promptId: 'support', version: '1.0.0', promptHash: 'ph', suite: 'faq',
      suiteKind: 'golden', suiteHash: 'sh', model: 'llama', server: 'http://localhost:8000/v1', promptctlVersion: '0.1.0', startedAt: '2025-03-01T12:00:00.000Z',
    });
    await reg.recordSamples(samples);
    expect(await reg.getSamples('r1')).toEqual(samples);
    expect(await reg.getSamples('r1', { caseIds: samples.map((s) => s.caseId) })).toEqual(samples);
    for (const s of samples) expect(await reg.getSamples('r1', { caseIds: [s.caseId] }), s.caseId).toEqual([s]);
    expect(await reg.getSamples('r1', { caseIds: ['plain', 'tool-call'] })).toEqual([samples[0], samples[4]]);
  });
});
