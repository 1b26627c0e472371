import { describe, expect } from 'vitest';
import type { SampleResult } from '../../src/core/schemas/run.js';
import { backends, freshPerTest } from './backends.js';

/**
 * `countCachedResponses` and `pruneCachedResponses` alike on SQLite and PostgreSQL: answers cached
 * before the cut-off go (all of them without one), later ones stay, counting removes nothing, and the bytes are the stored UTF-8
 * of output and exchange. Runs keep their samples. Time is a clock set by hand.
 */

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const DAY = 86_400_000;
const answer = (output: string, exchange?: { turns: string[] }) => ({ output, latencyMs: 1, tokensIn: 1, tokensOut: 1, ...(exchange ? { exchange } : {}) });

describe.each(backends())('$name registry: pruning the response cache', (backend) => {
  const { store, test } = freshPerTest(backend);

  test('removes the answers cached before the cut-off, keeps the rest; counting them first gives the same numbers and removes nothing', async () => {
    let at = T0;
    const reg = store.open({ date: () => new Date(at) });
    await reg.putCachedResponse('old-1', answer('é'.repeat(10)));
    await reg.putCachedResponse('old-2', answer('ok', { turns: ['x'] }));
    // Ten days pass: on the test's clock (SQLite); PostgreSQL dates answers by the server's clock, so its rows are made older.
    at = T0 + 10 * DAY;
    if (backend.name === 'postgres') await store.sql(`UPDATE response_cache SET created_at = to_char((created_at::timestamptz - interval '10 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
    await reg.putCachedResponse('new-1', answer('fresh'));
    // Re-cached later, an answer counts from then (its row is replaced).
    await reg.putCachedResponse('old-2', answer('ok again'));

    // Five days before the registry's time (the test's clock on SQLite, the server's on PostgreSQL).
    const now = await reg.time();
    if (backend.name === 'sqlite') expect(now).toBe(new Date(T0 + 10 * DAY).toISOString());
    const before = new Date(Date.parse(now) - 5 * DAY).toISOString();
    // 'é' is two bytes in UTF-8: bytes are what the store holds, not characters.
    expect(await reg.countCachedResponses(before)).toEqual({ answers: 1, bytes: 20 });
    expect(await reg.getCachedResponse('old-1')).toBeDefined();
    expect(await reg.pruneCachedResponses(before)).toEqual({ answers: 1, bytes: 20 });
    expect(await reg.getCachedResponse('old-1')).toBeUndefined();
    expect((await reg.getCachedResponses(['old-2', 'new-1'])).size).toBe(2);
    expect(await reg.pruneCachedResponses(before)).toEqual({ answers: 0, bytes: 0 });
    expect((await reg.stats()).counts.cachedResponses).toBe(2);
  });

  test('without a cut-off every answer goes, exchanges counted; the samples of runs stay', async () => {
    const reg = store.open({ date: () => new Date(T0) });
    await reg.createRun({
      id: 'r1', invocationId: 'inv', inputsKey: 'k', promptId: 'p', version: '1.0.0', promptHash: 'h', suite: 's', suiteKind: 'golden',
      suiteHash: 'sh', model: 'm', server: 'http://127.0.0.1:8000/v1', promptctlVersion: '0.2.0', startedAt: new Date(T0).toISOString(),
    });
    const sample: SampleResult = { runId: 'r1', caseId: 'c1', sample: 0, verdict: 'pass', output: 'answer', reasons: [], latencyMs: 1, tokensIn: 1, tokensOut: 1, cached: false };
    await reg.recordSamples([sample], [{ key: 'a', response: answer('answer') }, { key: 'b', response: answer('', { turns: ['t'] }) }]);
    const exchangeBytes = Buffer.byteLength(JSON.stringify({ turns: ['t'] }));
    expect(await reg.pruneCachedResponses()).toEqual({ answers: 2, bytes: 6 + exchangeBytes });
    expect((await reg.stats()).counts.cachedResponses).toBe(0);
    expect(await reg.getSamples('r1')).toEqual([sample]);
  });
});
