import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/index.js';
import { postgresAvailable } from '../support/postgres.js';
import { teamRegistryForFile } from '../support/team-registry.js';

/**
 * The library's reader while another session holds a lock its read needs (a long migration, a
 * stuck transaction): five concurrent getActive share one read, all get the last good value
 * stale, and the server ends the reader's lock wait itself (lock_timeout, under its
 * statement_timeout), so no backend is left waiting behind a reader that gave up, and the stale
 * reason names the session holding the lock. Before, the five reads queued (10, 20, ... 50 s) and
 * each left a backend waiting on the lock; then the reason was a slow answer. No duration is
 * asserted: the sessions are counted.
 */

const pgOk = postgresAvailable();
const ID = 'support-answer';
const team = teamRegistryForFile(pgOk, `${ID}@1.0.0`);

/** Sessions of promptctl on the test's database that wait for a lock. */
async function waitingReaders(): Promise<number> {
  const rows = await team.cluster.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'promptctl' AND wait_event_type = 'Lock'`, [team.database]);
  return Number(rows[0]!.n);
}

describe.runIf(pgOk)('the library reader behind a lock another session holds', () => {
  it('five concurrent reads share one statement, all served stale, and leave no backend waiting', async () => {
    // query_timeout in the URL shortens the reader's wait (10 s by default), to keep the test short.
    const reader = openRegistry({ url: `${team.cluster.url(team.database, { withPassword: true })}?query_timeout=1500`, cacheTtlMs: 0 });
    const holder = new pg.Client({ host: team.cluster.host, port: team.cluster.port, user: team.cluster.user, password: team.cluster.password, database: team.database, application_name: 'psql' });
    await holder.connect();
    try {
      const fresh = await reader.getActive(ID, 'staging');
      expect(fresh).toMatchObject({ version: '1.0.0' });
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE promptctl.events IN ACCESS EXCLUSIVE MODE');

      const reads = await Promise.all(Array.from({ length: 5 }, () => reader.getActive(ID, 'staging')));
      for (const r of reads) expect(r).toMatchObject({ version: '1.0.0', contentHash: fresh!.contentHash, stale: true });
      // One read failed for all five: the same reason, the lock and who holds it, within the reader's
      // own limit (90% of its statement_timeout, 90% of query_timeout), not a slow answer.
      expect(new Set(reads.map((r) => r!.staleReason)).size).toBe(1);
      const pid = Number((await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
      expect(reads[0]!.staleReason).toMatch(new RegExp(`^the tables of the PostgreSQL registry at .* were locked by another session \\(server process ${pid}, application psql, role postgres\\) for longer than 1215ms`));
      expect(reads[0]!.staleReason).not.toContain(team.cluster.password);
      // The server ended the statement: nothing of the reader still waits while the lock is held.
      expect(await waitingReaders()).toBe(0);

      // Within the back-off the stale value is served without asking again.
      expect(await reader.getActive(ID, 'staging')).toMatchObject({ version: '1.0.0', stale: true });
      expect(await waitingReaders()).toBe(0);
    } finally {
      await holder.query('ROLLBACK').catch(() => {});
      await holder.end();
      await reader.close();
    }
  });
});
