import { beforeEach, describe, expect, it } from 'vitest';
import type { RunRecord, SampleResult } from '../../src/core/schemas/run.js';
import { LeaseNotHeldError } from '../../src/infra/registry/lease-fence.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { backends, type FreshRegistry } from './backends.js';

/**
 * Run leases on every backend: who may send a run's samples. Time passes by hand, so expiry is
 * tested without waiting: on SQLite a clock the test sets (each instance stands for a process with
 * its own clock reading the same time); on PostgreSQL, whose leases follow the server's clock
 * (postgres-server-clock.test.ts), the stored lease times are moved back by as much.
 */

const T0 = Date.parse('2026-05-01T10:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const runRecord = (id: string): Omit<RunRecord, 'status' | 'endedAt' | 'summary'> => ({
  id, invocationId: 'inv-1', inputsKey: `inputs-${id}`, promptId: 'support', version: '1.0.0', promptHash: 'ph', suite: 'faq',
  suiteKind: 'golden', suiteHash: 'sh', model: 'llama', server: 'http://localhost:8000/v1', promptctlVersion: '0.1.0', startedAt: iso(0),
});
const sample = (runId: string, caseId: string, output: string): SampleResult => ({ runId, caseId, sample: 0, verdict: 'pass', output, reasons: [], latencyMs: 3, tokensIn: 5, tokensOut: 6, cached: false });
const answer = { output: 'late answer', latencyMs: 3, tokensIn: 5, tokensOut: 6 };
const earlier = (column: string, ms: number) => `to_char((${column}::timestamptz - interval '${ms} milliseconds') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

describe.each(backends())('$name run leases', (backend) => {
  let store: FreshRegistry;
  let at: number;
  let a: Registry;
  let b: Registry;
  beforeEach(async () => {
    if (backend.skip) return;
    store = await backend.fresh();
    at = 0;
    const clock = { date: () => new Date(T0 + at) };
    a = store.open(clock);
    b = store.open(clock);
  });
  const test = backend.skip ? it.skip : it;
  /** `ms` pass for every holder. */
  const pass = async (ms: number) => {
    if (backend.name === 'sqlite') at += ms;
    else await store.sql(`UPDATE run_leases SET acquired_at = ${earlier('acquired_at', ms)}, expires_at = ${earlier('expires_at', ms)}`);
  };
  /** The expiry of a lease that runs out `ms` after the test began: exact on the test's clock, the server's time on PostgreSQL. */
  const expiry = (ms: number) => (backend.name === 'sqlite' ? iso(ms) : expect.stringMatching(ISO));

  test('a live lease is refused to another holder, naming the holder and its expiry; its holder takes it again', async () => {
    expect(await a.acquireLease('run-1', '101@host-a', 60_000)).toEqual({ ok: true, expiresAt: expiry(60_000) });
    await pass(50_000);
    expect(await b.acquireLease('run-1', '202@host-b', 60_000)).toEqual({ ok: false, holder: '101@host-a', expiresAt: expiry(60_000) });
    // Another run is free; the holder itself gets it again, for longer.
    expect(await b.acquireLease('run-2', '202@host-b', 60_000)).toEqual({ ok: true, expiresAt: expiry(110_000) });
    expect(await a.acquireLease('run-1', '101@host-a', 60_000)).toEqual({ ok: true, expiresAt: expiry(110_000) });
  });

  test('liveLease reads the live lease without taking it; an expired or released one is none', async () => {
    expect(await b.liveLease('run-1')).toBeUndefined();
    await a.acquireLease('run-1', '101@host-a', 30_000);
    expect(await b.liveLease('run-1')).toEqual({ holder: '101@host-a', expiresAt: expiry(30_000) });
    expect(await b.acquireLease('run-1', '202@host-b', 30_000)).toMatchObject({ ok: false, holder: '101@host-a' });
    await pass(30_000);
    expect(await b.liveLease('run-1'), 'expired, as acquireLease judges it').toBeUndefined();
    await a.acquireLease('run-2', '101@host-a', 30_000);
    await a.releaseLease('run-2', '101@host-a');
    expect(await b.liveLease('run-2')).toBeUndefined();
  });

  test('a crashed holder\'s lease expires and the next caller takes it over; the old holder can no longer renew it', async () => {
    await a.acquireLease('run-1', '101@host-a', 30_000);
    await pass(30_000);
    expect(await b.acquireLease('run-1', '202@host-b', 30_000)).toEqual({ ok: true, expiresAt: expiry(60_000) });
    expect(await a.renewLease('run-1', '101@host-a', 30_000)).toBe(false);
    expect(await a.acquireLease('run-1', '101@host-a', 30_000)).toEqual({ ok: false, holder: '202@host-b', expiresAt: expiry(60_000) });
  });

  test('renewing keeps a lease live past its first expiry; an expired lease nobody took can still be renewed by its holder', async () => {
    await a.acquireLease('run-1', '101@host-a', 30_000);
    await pass(20_000);
    expect(await a.renewLease('run-1', '101@host-a', 30_000)).toBe(true);
    await pass(25_000);
    expect(await b.acquireLease('run-1', '202@host-b', 30_000)).toEqual({ ok: false, holder: '101@host-a', expiresAt: expiry(50_000) });
    await pass(45_000);
    expect(await a.renewLease('run-1', '101@host-a', 30_000)).toBe(true);
    expect(await b.acquireLease('run-1', '202@host-b', 30_000)).toMatchObject({ ok: false, expiresAt: expiry(120_000) });
    expect(await b.renewLease('run-1', '202@host-b', 30_000)).toBe(false);
  });

  test('a release frees the lease at once, and only its holder can release it', async () => {
    await a.acquireLease('run-1', '101@host-a', 60_000);
    await b.releaseLease('run-1', '202@host-b');
    expect(await b.acquireLease('run-1', '202@host-b', 60_000)).toMatchObject({ ok: false, holder: '101@host-a' });
    await a.releaseLease('run-1', '101@host-a');
    expect(await a.renewLease('run-1', '101@host-a', 60_000)).toBe(false);
    expect(await b.acquireLease('run-1', '202@host-b', 60_000)).toEqual({ ok: true, expiresAt: expiry(60_000) });
  });

  test('takeOverFrom takes a live lease only from the holder it names (one known to be gone)', async () => {
    await a.acquireLease('run-1', '101@host-a', 60_000);
    expect(await b.acquireLease('run-1', '202@host-b', 60_000, { takeOverFrom: '999@host-a' })).toMatchObject({ ok: false, holder: '101@host-a' });
    expect(await b.acquireLease('run-1', '202@host-b', 60_000, { takeOverFrom: '101@host-a' })).toEqual({ ok: true, expiresAt: expiry(60_000) });
  });

  test('of many callers acquiring one lease at once, exactly one gets it', async () => {
    const holders = Array.from({ length: 8 }, (_, i) => `${i}@host`);
    // SQLite callers share one instance (two connections in one process would block each other's event loop).
    const outcomes = await Promise.all(holders.map((h, i) => (backend.name === 'sqlite' || i % 2 ? a : store.open({ date: () => new Date(T0) })).acquireLease('run-1', h, 60_000)));
    const winners = outcomes.filter((o) => o.ok);
    expect(winners).toHaveLength(1);
    const winner = holders[outcomes.findIndex((o) => o.ok)];
    for (const o of outcomes) if (!o.ok) expect(o.holder).toBe(winner);
  });

  test('a fenced sample write keeps out the run whose lease another holder took over, writes the rest and the cache rows, and names the run', async () => {
    for (const id of ['run-1', 'run-2']) {
      await a.createRun(runRecord(id));
      await a.acquireLease(id, '101@host-a', 30_000);
    }
    await pass(30_000);
    // run-2's lease expired too, but nobody took it: it is still 101's to write.
    expect(await b.acquireLease('run-1', '202@host-b', 30_000)).toMatchObject({ ok: true });
    const late = sample('run-1', 'c1', 'late answer');
    const kept = sample('run-2', 'c1', 'kept answer');
    const err = await a.recordSamples([late, kept], [{ key: 'k1', response: answer }], { holder: '101@host-a' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseNotHeldError);
    expect(err).toMatchObject({ runId: 'run-1', exitCode: 3, message: 'the samples of run run-1 were not written: 101@host-a no longer holds its lease' });
    expect(await a.getSamples('run-1')).toEqual([]);
    expect(await a.getSamples('run-2')).toEqual([kept]);
    expect(await a.getCachedResponse('k1')).toEqual(answer);
    // The new holder writes, and re-writes (the upsert) under its fence; the old one still cannot.
    await b.recordSamples([sample('run-1', 'c1', 'first')], [], { holder: '202@host-b' });
    await b.recordSamples([sample('run-1', 'c1', 'second')], [], { holder: '202@host-b' });
    await expect(a.recordSamples([late], [], { holder: '101@host-a' })).rejects.toBeInstanceOf(LeaseNotHeldError);
    expect(await a.getSamples('run-1')).toEqual([sample('run-1', 'c1', 'second')]);
    // Inside a transaction (the fence joins it), and a released lease is no longer held either.
    await expect(a.transaction((tx) => tx.recordSamples([late], [], { holder: '101@host-a' }))).rejects.toBeInstanceOf(LeaseNotHeldError);
    await a.releaseLease('run-2', '101@host-a');
    await expect(a.recordSamples([kept], [], { holder: '101@host-a' })).rejects.toMatchObject({ runId: 'run-2' });
  });

  test('a lease taken in a transaction that rolls back is not taken', async () => {
    await expect(
      a.transaction(async (tx) => {
        await tx.acquireLease('run-1', '101@host-a', 60_000);
        throw new Error('another run of the set was refused');
      }),
    ).rejects.toThrow('refused');
    expect(await b.acquireLease('run-1', '202@host-b', 60_000)).toMatchObject({ ok: true });
  });
});
