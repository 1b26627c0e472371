import { describe, expect } from 'vitest';
import { sha256Hex } from '../../src/core/canonical.js';
import { InternalError, UnavailableError } from '../../src/core/errors.js';
import type { NewEvent, Registry } from '../../src/infra/registry/types.js';
import { verifyRecords } from '../../src/infra/registry/verify-records.js';
import { backends, freshPerTest } from './backends.js';

/**
 * `readSnapshot`, and `audit verify` (verifyRecords) on it, alike on both backends. Read as
 * separate statements, a deploy of a version registered after the versions were read, or a tested
 * mark appended between the chain and the events, made a healthy log fail while CI and release
 * managers wrote to it. A test seam puts another connection's append (a version, a run with its
 * samples, its tested mark, a deploy) before the n-th read of the verifier, for every n: no timing.
 */

const ID = 'support-answer';
const contentOf = (v: string) => JSON.stringify({ id: ID, version: v, messages: [{ role: 'system', content: `Answer as ${v}.` }] });
const version = (v: string) => ({ promptId: ID, version: v, contentHash: sha256Hex(contentOf(v)), content: contentOf(v), description: v, author: 'ana' });
const deploy = (v: string): NewEvent => ({ env: 'production', promptId: ID, version: v, previousVersion: null, action: 'deploy', actor: 'ana', reason: null, contentHash: sha256Hex(contentOf(v)) });

/** What `eval` then `deploy` record for version `v`: the version, a run with two samples, its tested mark, a deploy. */
async function releaseVersion(reg: Registry, v: string): Promise<void> {
  const runId = `run-${v}`;
  const at = '2025-03-01T12:00:00.000Z';
  await reg.registerVersion(version(v));
  await reg.createRun({ id: runId, invocationId: runId, inputsKey: runId, promptId: ID, version: v, promptHash: sha256Hex(contentOf(v)), suite: 'faq', suiteKind: 'golden', suiteHash: 'sh', model: 'llama', server: 'http://127.0.0.1:8000/v1', promptctlVersion: '0.1.0', startedAt: at });
  const sample = (k: number) => ({ runId, caseId: 'c1', sample: k, verdict: 'pass' as const, output: `answer ${k}`, reasons: [], latencyMs: 20, tokensIn: 10, tokensOut: 10, cached: false });
  await reg.recordSamples([sample(0), sample(1)]);
  await reg.finishRun(runId, 'finished', { cases: 1, passed: 1, failed: 0, errored: 0, notRun: 0, samples: 2, passRate: 1, verdict: 'passed', latencyP50: 20, latencyP95: 20, latencyP99: 20, tokensIn: 20, tokensOut: 20, piiLeaks: 0 }, at);
  const digest = await reg.sampleDigests(runId);
  await reg.markTested({ promptId: ID, version: v, contentHash: sha256Hex(contentOf(v)), model: 'llama', actor: 'ana', suites: [{ suite: 'faq', kind: 'golden', passRate: 1, runId, samples: digest.samples, outputs: digest.outputs }] });
  await reg.appendEvent(deploy(v));
}

/** `reader` with `append` run once, just before its `before`-th read (1-based), inside a snapshot it opens too; `reads` counts them. */
function appendingBefore(reader: Registry, before: number, append: () => Promise<unknown>): { registry: Registry; reads: () => number } {
  let calls = 0;
  const wrap = (target: Registry): Registry =>
    new Proxy(target, {
      get(t, name, receiver) {
        const value: unknown = Reflect.get(t, name, receiver);
        if (typeof value !== 'function' || name === 'close' || name === 'transaction') return value;
        if (name === 'readSnapshot') return (fn: (s: Registry) => Promise<unknown>) => (value as Registry['readSnapshot']).call(t, (snapshot) => fn(wrap(snapshot)));
        return async (...args: unknown[]) => {
          if (++calls === before) await append();
          return (value as (...a: unknown[]) => unknown).apply(t, args);
        };
      },
    });
  return { registry: wrap(reader), reads: () => calls };
}

describe.each(backends())('$name registry: readSnapshot', (backend) => {
  const { store, test } = freshPerTest(backend);

  test('audit verify: a release appended before any read of the verifier never makes an intact log fail; tampering still does', async () => {
    const writer = store.open();
    await releaseVersion(writer, '1.0.0');
    const reader = store.openReadonly();
    const dry = appendingBefore(reader, 0, async () => undefined);
    expect(await verifyRecords(dry.registry)).toMatchObject({ ok: true, events: 2 });
    const reads = dry.reads();
    let next = 1;
    for (let before = 1; before <= reads + 1; before++) {
      const { registry } = appendingBefore(reader, before, () => releaseVersion(writer, `1.${next++}.0`));
      const verdict = await verifyRecords(registry);
      expect(verdict, `release appended before read #${before}`).toMatchObject({ ok: true });
      expect(verdict.broken, `release appended before read #${before}`).toBeUndefined();
    }
    expect(await verifyRecords(reader)).toMatchObject({ ok: true, events: 2 * next });
    // The snapshot hides nobody's tampering: an answer edited behind a mark is still found.
    await store.sql(`UPDATE samples SET output = 'edited' WHERE run_id = 'run-1.0.0' AND sample = 1`);
    const tampered = await verifyRecords(reader);
    expect(tampered.ok).toBe(false);
    expect(tampered.broken?.problem).toMatch(/^event 1: the outputs of run run-1\.0\. .* were changed after the mark was earned$/);
  });

  test('reads one snapshot without blocking writers, on a read-only registry; refuses writes; ends cleanly', async () => {
    const writer = store.open();
    await releaseVersion(writer, '1.0.0');
    const reader = store.openReadonly();
    const seen = await reader.readSnapshot(async (snapshot) => {
      const head = await snapshot.chainHead();
      // Another connection commits while the snapshot is open: it does not wait for the reader.
      await releaseVersion(writer, '1.1.0');
      const inner = await snapshot.readSnapshot(async (same) => (await same.listEvents()).length);
      const write = await snapshot.appendEvent(deploy('1.0.0')).catch((e: unknown) => e);
      const tx = await snapshot.transaction(async () => 1).catch((e: unknown) => e);
      return { head: head?.seq, chain: await snapshot.verifyChain(), versions: (await snapshot.listVersions()).length, inner, write, tx };
    });
    expect(seen).toMatchObject({ head: 2, chain: { ok: true, events: 2 }, versions: 1, inner: 2 });
    expect(seen.write).toBeInstanceOf(InternalError);
    expect((seen.write as Error).message).toMatch(/read snapshot .* cannot write \(appendEvent\)/);
    expect(seen.tx).toBeInstanceOf(InternalError);
    // After it, the registry reads the present again, and a write transaction cannot open a snapshot.
    expect((await reader.chainHead())?.seq).toBe(4);
    expect(await writer.transaction((tx) => tx.readSnapshot(async () => 1)).catch((e: unknown) => e)).toBeInstanceOf(InternalError);
    expect((await writer.listEvents()).length).toBe(4);
  });

  if (backend.name === 'postgres') {
    test('a connection lost inside the snapshot is exit 3, and the next call connects afresh', async () => {
      const writer = store.open();
      await releaseVersion(writer, '1.0.0');
      await writer.close();
      const reader = store.openReadonly();
      const cut = reader.readSnapshot(async (snapshot) => {
        await snapshot.chainHead();
        await store.sql(`SELECT pg_terminate_backend(pid, 30000) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'promptctl' AND pid <> pg_backend_pid()`);
        return snapshot.listEvents();
      });
      const err = await cut.then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(UnavailableError);
      expect((err as UnavailableError).exitCode).toBe(3);
      expect(await verifyRecords(reader)).toMatchObject({ ok: true, events: 2 });
    });
  }
});
