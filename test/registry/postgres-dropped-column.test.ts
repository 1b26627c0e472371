import { beforeAll, describe, expect, it } from 'vitest';
import type { UnavailableError } from '../../src/core/errors.js';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import { migrateProjectRegistry } from '../../src/infra/registry-admin.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';

/**
 * A column dropped from a migrated team registry by hand is said as what it is (a writer finds it
 * at open; a reader's statement meets SQLSTATE 42703),
 * as a dropped table is (postgres-faults.test.ts): missing from the schema, exit 3, restored from a
 * backup. It was "the PostgreSQL registry … failed while caching a model answer".
 */

const pgOk = postgresAvailable();
let cluster: PgCluster;
beforeAll(async () => {
  if (pgOk) cluster = await startPostgres();
});

describe.runIf(pgOk)('a column dropped from a migrated schema', () => {
  it('is named as missing from the schema (exit 3), by the writes and the reads that need it', async () => {
    const db = await cluster.createDatabase();
    const url = cluster.url(db);
    await migrateProjectRegistry({ root: '/', config: { registry: { path: 'x', schema: 'promptctl', url } } as never }, { env: { PGPASSWORD: cluster.password }, clock: { date: () => new Date() } });
    await cluster.query('ALTER TABLE promptctl.response_cache DROP COLUMN exchange', [], db);
    const target = postgresTarget(url, { password: cluster.password });
    // A writer is refused at its first session, before anything is written (postgres-schema-columns.test.ts).
    const writer = openPostgresRegistry({ target });
    // A reader checks no columns: a statement that needs the dropped one meets the server's 42703.
    const reader = openPostgresRegistry({ target, readonly: true });
    try {
      const put = await writer.putCachedResponse('k', { output: 'o', latencyMs: 1, tokensIn: 1, tokensOut: 1 }).then(() => undefined, (e: unknown) => e as UnavailableError);
      expect(put).toMatchObject({ exitCode: 3, message: expect.stringMatching(/^column exchange of table response_cache \(the response cache\) is missing from the schema "promptctl" \(version \d+\) of the registry at postgres:\/\/postgres@/) });
      expect(put?.why).toMatch(/^the schema was changed outside promptctl \(a column dropped or renamed\)/);
      expect(put?.hint).toMatch(/from a backup/);
      const get = await reader.getCachedResponse('k').then(() => undefined, (e: unknown) => e as UnavailableError);
      expect(get).toMatchObject({ exitCode: 3, message: expect.stringMatching(/^column exchange (of table response_cache \(the response cache\) )?is missing from the schema "promptctl"/) });
      expect(get?.why).toMatch(/\(42703\): the schema was changed outside promptctl \(a column dropped or renamed\)/);
    } finally {
      await writer.close();
      await reader.close();
    }
  });
});
