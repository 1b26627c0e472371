import { beforeEach, describe, expect, it } from 'vitest';
import { sampleDigests } from '../../src/core/sample-digest.js';
import type { RunRecord, SampleResult } from '../../src/core/schemas/run.js';
import { fromSample } from '../../src/infra/registry/sqlite-rows.js';
import type { CachedResponse, Registry } from '../../src/infra/registry/types.js';
import { backends } from './backends.js';

/**
 * What a server sends is stored as it came, on every backend: a NUL character in any text it
 * supplied (an error body echoing the user's input, a judge's words, tool-call arguments, the
 * weights' name) round-trips exactly, as do token counts beyond 32 bits (SQLite keeps 64-bit
 * integers; PostgreSQL must too) and their sums.
 */

const run = (id: string): Omit<RunRecord, 'status' | 'endedAt' | 'summary'> => ({
  id, invocationId: 'inv-1', inputsKey: 'inputs-1', promptId: 'support', version: '1.0.0', promptHash: 'ph', suite: 'faq',
  suiteKind: 'adversarial', suiteHash: 'sh', model: 'llama', server: 'http://localhost:8000/v1', promptctlVersion: '0.1.0',
  startedAt: '2025-03-01T12:00:00.000Z',
});
const NUL = 'echo: a\u0000b 🙂';

describe.each(backends())('$name registry: texts and numbers as the server sent them', (backend) => {
  let reg: Registry;
  beforeEach(async () => {
    if (backend.skip) return;
    reg = (await backend.fresh()).open();
  });
  const test = backend.skip ? it.skip : it;

  test('a NUL in every server-supplied text of a sample and of its cached answer round-trips exactly', async () => {
    await reg.createRun(run('r1'));
    const exchange = { toolCalls: [{ name: 'lookup', arguments: `{"q":"${NUL}"}` }], turns: [NUL] };
    const errored: SampleResult = {
      runId: 'r1', caseId: 'c1', sample: 0, verdict: 'error', output: '', reasons: [], latencyMs: 4, tokensIn: 0, tokensOut: 0, cached: false,
      error: `HTTP 400: {"error":{"message":"invalid input: ${NUL}"}}`, category: 'extraction',
    };
    const judged: SampleResult = {
      runId: 'r1', caseId: 'c2', sample: 0, verdict: 'fail', output: NUL, latencyMs: 5, tokensIn: 1, tokensOut: 2, cached: false, exchange, leaks: ['pii'],
      reasons: [{ expectation: 'judge', message: `the judge said: ${NUL}`, expected: NUL, actual: NUL }],
    };
    const answer: CachedResponse = { output: NUL, latencyMs: 5, tokensIn: 1, tokensOut: 2, exchange, root: `org/${NUL}` };
    await reg.recordSamples([errored, judged], [{ key: 'k1', response: answer }]);
    expect(await reg.getSamples('r1')).toEqual([errored, judged]);
    expect(await reg.getSamples('r1', { caseIds: ['c1'] })).toEqual([errored]);
    expect(await reg.getCachedResponse('k1')).toEqual(answer);
    expect((await reg.getCachedResponses(['k1'])).get('k1')).toEqual(answer);
    // A re-written sample (the upsert) keeps it too, and a tested mark's fingerprint reads it back as written.
    const rewritten = { ...errored, error: `again: ${NUL}` };
    await reg.recordSamples([rewritten]);
    expect((await reg.getSamples('r1')).at(-1)).toEqual(rewritten);
    expect(await reg.sampleDigests('r1')).toEqual(sampleDigests([rewritten, judged].map((s) => digestRow(s))));
  });

  test('token counts beyond 32 bits are kept, and summed, exactly', async () => {
    await reg.createRun(run('r1'));
    const big = 3_000_000_000;
    const sample = (caseId: string, sample: number): SampleResult => ({
      runId: 'r1', caseId, sample, verdict: 'pass', output: 'ok', reasons: [], latencyMs: 1, tokensIn: big, tokensOut: big + sample, cached: false,
    });
    const samples = [sample('c1', 0), sample('c1', 1), sample('c2', 0)];
    const answer: CachedResponse = { output: 'ok', latencyMs: 1, tokensIn: big, tokensOut: Number.MAX_SAFE_INTEGER };
    await reg.recordSamples(samples, [{ key: 'k1', response: answer }]);
    expect(await reg.getSamples('r1')).toEqual(samples);
    expect(await reg.getCachedResponse('k1')).toEqual(answer);
    expect((await reg.getCachedResponses(['k1'])).get('k1')).toEqual(answer);
    const tally = await reg.sampleTally('r1');
    expect({ tokensIn: tally.tokensIn, tokensOut: tally.tokensOut }).toEqual({ tokensIn: 3 * big, tokensOut: 3 * big + 1 });
    // Re-written through the upsert, too.
    await reg.recordSamples([{ ...sample('c2', 0), tokensIn: 2 * big }]);
    expect((await reg.getSamples('r1')).at(-1)).toMatchObject({ tokensIn: 2 * big });
  });
});

function digestRow(s: SampleResult) {
  const r = fromSample(s);
  return { caseId: r.case_id, sample: r.sample, verdict: r.verdict, latencyMs: r.latency_ms, leaks: r.leaks, output: r.output, reasons: r.reasons, error: r.error, exchange: r.exchange };
}
