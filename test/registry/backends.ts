import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { migrateProjectRegistry } from '../../src/infra/registry-admin.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { makeTempDir } from './harness.js';

/**
 * The backends the conformance suite runs against. `fresh()` makes an empty registry for one test
 * (SQLite: a temp file; PostgreSQL: a new database, migrated, in a throwaway cluster this test file
 * starts) and returns `open`, which opens another instance on it, as another process would. Every
 * instance is closed after the test. Without PostgreSQL installed its backend is `skip` (with a
 * notice); under CI that is an error instead.
 */

export const fixedClock = { date: () => new Date('2025-03-01T12:00:00.000Z') };

export interface BackendCase {
  name: 'sqlite' | 'postgres';
  skip: boolean;
  fresh(): Promise<() => Registry>;
}

export function backends(): BackendCase[] {
  const pgOk = postgresAvailable();
  let cluster: PgCluster | undefined;
  const temps: Array<ReturnType<typeof makeTempDir>> = [];
  const opened: Registry[] = [];
  beforeAll(async () => {
    if (pgOk) cluster = await startPostgres();
  });
  afterAll(() => cluster?.stop());
  afterEach(async () => {
    for (const r of opened.splice(0)) await r.close();
    for (const t of temps.splice(0)) t.cleanup();
  });
  const track = (r: Registry) => (opened.push(r), r);
  return [
    {
      name: 'sqlite',
      skip: false,
      async fresh() {
        const tmp = makeTempDir();
        temps.push(tmp);
        const path = join(tmp.dir, 'registry.db');
        return () => track(openSqliteRegistry({ path, clock: fixedClock }));
      },
    },
    {
      name: 'postgres',
      skip: !pgOk,
      async fresh() {
        const url = cluster!.url(await cluster!.createDatabase());
        const env = { PGPASSWORD: cluster!.password };
        const registry = { path: 'unused.db', schema: 'promptctl', url };
        await migrateProjectRegistry({ root: '/', config: { registry } as never }, { env, clock: fixedClock });
        const target = postgresTarget(url, { password: cluster!.password });
        return () => track(openPostgresRegistry({ target, clock: fixedClock }));
      },
    },
  ];
}
