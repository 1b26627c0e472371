import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { startSimulator } from '../../src/sim/server.js';
import type { SimOptions, Simulator } from '../../src/sim/types.js';
import { findPostgresBin, type ClusterAddress } from '../../scripts/pg-cluster.mjs';
import { WANTED, type ClusterInfo } from './postgres-global-setup.js';
import { cleanupTempDirs } from './project.js';

export { freePort } from '../../scripts/pg-cluster.mjs';

/**
 * A real PostgreSQL for tests, never a mock of PostgreSQL or of pg: the test run's one throwaway
 * cluster (scripts/pg-cluster.mjs, started by postgres-global-setup.ts), on which each test file, and
 * each test that asks (`createDatabase`), works in a fresh database of its own, so files run in
 * parallel without sharing any data. Without the binaries the PostgreSQL tests are skipped with a
 * visible notice, except under CI, where they must run (`postgresAvailable` throws).
 */

const found = findPostgresBin();
const inCi = process.env.CI === 'true' || process.env.CI === '1';

/** True when the PostgreSQL tests can run here; prints the notice once per file when they cannot. */
export function postgresAvailable(): boolean {
  if (found.bin) return true;
  if (inCi) throw new Error(`PostgreSQL tests must run in CI, but ${found.missing}`);
  console.warn(`notice: skipping the PostgreSQL tests: ${found.missing}`);
  return false;
}

/** The run's cluster as a test file sees it: where it answers (the superuser's password included), and helpers. */
export interface PgCluster extends ClusterAddress {
  /** A connection URL to `database`, without the password unless asked. */
  url(database: string, opts?: { withPassword?: boolean }): string;
  /** Creates a fresh, empty database (a copy of `template` when given) and returns its name. */
  createDatabase(opts?: { template?: string }): Promise<string>;
  /** Runs SQL as the superuser on `database` (default `postgres`). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[], database?: string): Promise<R[]>;
}

const START_WAIT_MS = 120_000;

/** The run's cluster, once it is up: waits for its address file (a safety limit, not a timing). */
async function runCluster(): Promise<ClusterAddress> {
  const file = inject('postgresCluster');
  if (!file) throw new Error('no PostgreSQL cluster for this run: vitest.config.ts must list test/support/postgres-global-setup.ts in globalSetup');
  writeFileSync(path.join(path.dirname(file), WANTED), ''); // the run's cluster starts on this
  for (const deadline = Date.now() + START_WAIT_MS; ; ) {
    let text: string | undefined;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text !== undefined) {
      const info = JSON.parse(text) as ClusterInfo;
      if ('error' in info) throw new Error(`the test run's PostgreSQL did not start: ${info.error}`);
      return info.address;
    }
    if (Date.now() > deadline) throw new Error(`the test run's PostgreSQL did not start within ${START_WAIT_MS / 1000} s (${file})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** This test file's way into the run's cluster. */
export async function startPostgres(): Promise<PgCluster> {
  const { host, port, user, password } = await runCluster();
  const query: PgCluster['query'] = async (sql, params, database = 'postgres') => {
    const client = new pg.Client({ host, port, user, password, database });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  return {
    host,
    port,
    user,
    password,
    url: (database, opts = {}) => `postgres://${user}${opts.withPassword ? `:${encodeURIComponent(password)}` : ''}@${host}:${port}/${database}`,
    async createDatabase(opts = {}) {
      // Unique across the files of the run, whichever worker or module instance asks.
      const name = `t${process.pid}_${randomBytes(6).toString('hex')}`;
      await query(`CREATE DATABASE ${name}${opts.template ? ` TEMPLATE ${opts.template}` : ''}`);
      return name;
    },
    query,
  };
}

/**
 * For a test file that drives the CLI against PostgreSQL and the simulator: connects to the run's
 * cluster and starts a simulator before the file (when PostgreSQL is available); after it, stops
 * the simulator and removes the file's temp folders. The returned `cluster` and `sim` are live
 * once the tests run.
 */
export function postgresAndSimulatorForFile(simOptions: SimOptions = {}): { readonly cluster: PgCluster; readonly sim: Simulator } {
  const live: { cluster?: PgCluster; sim?: Simulator } = {};
  beforeAll(async () => {
    if (!postgresAvailable()) return;
    [live.cluster, live.sim] = await Promise.all([startPostgres(), startSimulator({ port: 0, ...simOptions })]);
  });
  afterAll(async () => {
    await live.sim?.close();
    cleanupTempDirs();
  });
  return {
    get cluster() {
      return live.cluster!;
    },
    get sim() {
      return live.sim!;
    },
  };
}
