import { beforeAll, describe, expect, it } from 'vitest';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import { migrateProjectRegistry } from '../../src/infra/registry-admin.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { refusal } from '../support/refusal.js';

/**
 * A deploy or rollback that meets another change to the same prompt and environment waits its turn,
 * but not forever: past the wait (30 s, or the database's own lock_timeout) it is exit 3 naming the
 * session that holds the turn and how to end it, and it changed nothing. The holder keeps the turn
 * until the test lets it go, so the outcome does not depend on timing.
 */

const pgOk = postgresAvailable();
let cluster: PgCluster;
beforeAll(async () => {
  if (pgOk) cluster = await startPostgres();
});

const event = { env: 'production', promptId: 'support', version: '1.0.0', previousVersion: null, action: 'deploy' as const, actor: 'ana', reason: null };

async function freshRegistry(): Promise<{ db: string; open: (decisionWaitMs?: number) => Registry }> {
  const db = await cluster.createDatabase();
  const url = cluster.url(db);
  await migrateProjectRegistry({ root: '/', config: { registry: { path: 'x', schema: 'promptctl', url } } as never }, { env: { PGPASSWORD: cluster.password }, clock: { date: () => new Date() } });
  return { db, open: (decisionWaitMs) => openPostgresRegistry({ target: postgresTarget(url, { password: cluster.password }), decisionWaitMs }) };
}

/** Takes the turn for support in production and keeps it until `release` is called. */
async function holdTurn(registry: Registry, releasers: Array<() => Promise<void>>): Promise<{ release: () => Promise<void> }> {
  let taken!: () => void;
  let release!: () => void;
  const isTaken = new Promise<void>((resolve) => (taken = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  const done = registry.transaction(async (tx) => {
    await tx.lockDecision('support', 'production');
    taken();
    await released;
  });
  await isTaken;
  const end = async () => (release(), await done);
  // A failed expectation must not leave the turn held: closing the holder would wait for it forever.
  releasers.push(end);
  return { release: end };
}

describe.runIf(pgOk)('waiting for another change to the same prompt and environment on PostgreSQL', () => {
  it('ends after the wait with exit 3 naming the session that holds the turn, and records nothing', async () => {
    const { open } = await freshRegistry();
    const holder = open();
    const waiter = open(200);
    const releasers: Array<() => Promise<void>> = [];
    try {
      const held = await holdTurn(holder, releasers);
      const e = await refusal(waiter.transaction(async (tx) => {
        await tx.lockDecision('support', 'production');
        await tx.appendEvent(event);
      }));
      expect(e.exitCode).toBe(3);
      expect(e.message).toMatch(/^another change to support in production held its turn for longer than 200ms on the PostgreSQL registry at postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+$/);
      expect(e.why).toMatch(/^it is held by server process \d+ of role postgres from 127\.0\.0\.1 \(promptctl\), in a transaction since \d{4}-\d\d-\d\dT/);
      const pid = /server process (\d+)/.exec(e.why!)![1];
      expect(e.hint).toContain(`SELECT pg_terminate_backend(${pid});`);
      expect(`${e.message}${e.why}${e.hint}`).not.toContain(cluster.password);
      // Another environment does not wait for it.
      await waiter.transaction((tx) => tx.lockDecision('support', 'staging'));
      await held.release();
      // The waiter's connection is fine, and its change was never recorded.
      expect(await waiter.listEvents()).toEqual([]);
      await waiter.transaction(async (tx) => {
        await tx.lockDecision('support', 'production');
        await tx.appendEvent(event);
      });
      expect((await holder.listEvents()).map((x) => x.version)).toEqual(['1.0.0']);
    } finally {
      await Promise.all(releasers.map((end) => end()));
      await Promise.all([holder.close(), waiter.close()]);
    }
  });

  it("keeps the lock_timeout the database sets instead of its own 30 s", async () => {
    const { db, open } = await freshRegistry();
    await cluster.query(`ALTER DATABASE ${db} SET lock_timeout = '150ms'`);
    const holder = open();
    const waiter = open();
    const releasers: Array<() => Promise<void>> = [];
    try {
      const held = await holdTurn(holder, releasers);
      const e = await refusal(waiter.transaction((tx) => tx.lockDecision('support', 'production')));
      expect(e.message).toContain('held its turn for longer than 150ms');
      await held.release();
    } finally {
      await Promise.all(releasers.map((end) => end()));
      await Promise.all([holder.close(), waiter.close()]);
    }
  });
});
