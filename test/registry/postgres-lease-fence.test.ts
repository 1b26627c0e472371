import { beforeAll, describe, expect, it } from 'vitest';
import type { SampleResult } from '../../src/core/schemas/run.js';
import { LeaseNotHeldError } from '../../src/infra/registry/lease-fence.js';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import { migrateProjectRegistry } from '../../src/infra/registry-admin.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';

/**
 * The fence on sample writes sees a takeover that commits while the write waits: the write locks
 * the lease row, so it waits for the takeover's transaction and then reads the new holder (READ
 * COMMITTED re-reads a row changed since its snapshot). The takeover is held open until the test
 * sees the write waiting for it, so the outcome does not depend on timing.
 */

const pgOk = postgresAvailable();
let cluster: PgCluster;
beforeAll(async () => {
  if (pgOk) cluster = await startPostgres();
});

const sample: SampleResult = { runId: 'run-1', caseId: 'c1', sample: 0, verdict: 'pass', output: 'late answer', reasons: [], latencyMs: 3, tokensIn: 5, tokensOut: 6, cached: false };

describe.runIf(pgOk)('a fenced sample write on PostgreSQL', () => {
  it('waits for a takeover in progress and, once it commits, writes nothing of the run', async () => {
    const db = await cluster.createDatabase();
    const url = cluster.url(db);
    await migrateProjectRegistry({ root: '/', config: { registry: { path: 'x', schema: 'promptctl', url } } as never }, { env: { PGPASSWORD: cluster.password }, clock: { date: () => new Date() } });
    const open = (): Registry => openPostgresRegistry({ target: postgresTarget(url, { password: cluster.password }) });
    const [a, b] = [open(), open()];
    let commit = () => {};
    try {
      await a.createRun({ id: 'run-1', invocationId: 'inv-1', inputsKey: 'k', promptId: 'support', version: '1.0.0', promptHash: 'ph', suite: 'faq', suiteKind: 'golden', suiteHash: 'sh', model: 'llama', server: 'http://localhost:8000/v1', promptctlVersion: '0.1.0', startedAt: '2026-01-01T00:00:00.000Z' });
      await a.acquireLease('run-1', 'A', 60_000);
      let taken!: () => void;
      const isTaken = new Promise<void>((resolve) => (taken = resolve));
      const committing = new Promise<void>((resolve) => (commit = resolve));
      // B takes the run over (A is known to be gone) and holds its transaction open.
      const takeover = b.transaction(async (tx) => {
        expect(await tx.acquireLease('run-1', 'B', 60_000, { takeOverFrom: 'A' })).toMatchObject({ ok: true });
        taken();
        await committing;
      });
      await isTaken;
      let settled = false;
      const write = a.recordSamples([sample], [], { holder: 'A' }).then(
        () => 'written',
        (e: unknown) => e,
      ).finally(() => (settled = true));
      // Until the write either finished (no lock taken: the fence would read A's old lease) or waits on B's lock.
      const waiting = async () => (await cluster.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'", [db]))[0]!.n !== '0';
      while (!settled && !(await waiting())) await new Promise((resolve) => setTimeout(resolve, 10));
      commit();
      await takeover;
      const outcome = await write;
      expect(outcome).toBeInstanceOf(LeaseNotHeldError);
      expect(await a.getSamples('run-1')).toEqual([]);
    } finally {
      commit();
      await a.close();
      await b.close();
    }
  });
});
