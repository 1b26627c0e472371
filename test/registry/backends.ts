import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, beforeEach, it } from 'vitest';
import type { Clock } from '../../src/infra/clock.js';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { migrateProjectRegistry } from '../../src/infra/registry-admin.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { makeTempDir } from './harness.js';

/**
 * The backends the conformance suite runs against. `fresh()` makes an empty registry for one test
 * (SQLite: a temp file; PostgreSQL: a new database, migrated, on the test run's throwaway cluster)
 * with ways to open instances on it and to reach its tables directly. Every instance is closed
 * after the test. Without PostgreSQL installed its backend is `skip` (with a
 * notice); under CI that is an error instead.
 */

export const fixedClock = { date: () => new Date('2025-03-01T12:00:00.000Z') };

export interface FreshRegistry {
  /** Another instance (connection) on this test's registry, as another process would open; on `clock` when given. */
  open(clock?: Pick<Clock, 'date'>): Registry;
  /** An instance opened read-only, as an application reading the active version opens it. */
  openReadonly(): Registry;
  /** Runs SQL on the registry's tables behind promptctl's back, as someone with a database client would. */
  sql(statement: string): Promise<void>;
  /** The same with the append-only guard on events switched off (dropped or disabled), as an owner could. */
  sqlUnguarded(statement: string): Promise<void>;
}

export interface BackendCase {
  name: 'sqlite' | 'postgres';
  skip: boolean;
  fresh(): Promise<FreshRegistry>;
}

/** A fresh database with the registry migrated into it, as `registry migrate` leaves it; no connection stays open to it. */
async function migratedDatabase(cluster: PgCluster): Promise<string> {
  const db = await cluster.createDatabase();
  const registry = { path: 'unused.db', schema: 'promptctl', url: cluster.url(db) };
  await migrateProjectRegistry({ root: '/', config: { registry } as never }, { env: { PGPASSWORD: cluster.password }, clock: fixedClock });
  return db;
}

export function backends(): BackendCase[] {
  const pgOk = postgresAvailable();
  let cluster: PgCluster | undefined;
  let migrated: Promise<string> | undefined;
  const temps: Array<ReturnType<typeof makeTempDir>> = [];
  const opened: Registry[] = [];
  beforeAll(async () => {
    if (pgOk) cluster = await startPostgres();
  });
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
        const sql = async (statement: string) => {
          const db = new Database(path);
          try {
            db.exec(statement);
          } finally {
            db.close();
          }
        };
        return {
          open: (clock = fixedClock) => track(openSqliteRegistry({ path, clock })),
          openReadonly: () => track(openSqliteRegistry({ path, clock: fixedClock, readonly: true })),
          sql,
          sqlUnguarded: (statement) => sql(`DROP TRIGGER IF EXISTS events_no_update; ${statement}`),
        };
      },
    },
    {
      name: 'postgres',
      skip: !pgOk,
      async fresh() {
        // The file's registry is migrated once, into a database each test's is copied from
        // (CREATE DATABASE … TEMPLATE): the same migrated, empty registry, without running the
        // migrations again for every test (about 35 ms of PostgreSQL and worker CPU each).
        migrated ??= migratedDatabase(cluster!);
        const db = await cluster!.createDatabase({ template: await migrated });
        const url = cluster!.url(db);
        const target = postgresTarget(url, { password: cluster!.password });
        const sql = async (statement: string) => void (await cluster!.query(`SET search_path TO promptctl; ${statement}`, undefined, db));
        return {
          open: (clock = fixedClock) => track(openPostgresRegistry({ target, clock })),
          openReadonly: () => track(openPostgresRegistry({ target, clock: fixedClock, readonly: true })),
          sql,
          sqlUnguarded: (statement) => sql(`ALTER TABLE events DISABLE TRIGGER events_no_update; ${statement}`),
        };
      },
    },
  ];
}

/**
 * A fresh registry of `backend` for every test of the calling `describe`, and the `test` to declare
 * them with (skipped, with the notice, when the backend is): `store` always stands for the current
 * test's registry.
 */
export function freshPerTest(backend: BackendCase): { store: FreshRegistry; test: typeof it } {
  let current: FreshRegistry | undefined;
  beforeEach(async () => {
    if (!backend.skip) current = await backend.fresh();
  });
  const now = (): FreshRegistry => current!;
  const store: FreshRegistry = {
    open: (clock) => now().open(clock),
    openReadonly: () => now().openReadonly(),
    sql: (statement) => now().sql(statement),
    sqlUnguarded: (statement) => now().sqlUnguarded(statement),
  };
  return { store, test: (backend.skip ? it.skip : it) as typeof it };
}
