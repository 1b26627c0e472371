import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { startSimulator } from '../../src/sim/server.js';
import type { SimOptions, Simulator } from '../../src/sim/types.js';
import { cleanupTempDirs } from './project.js';

/**
 * A real, throwaway PostgreSQL for tests: `initdb` and `pg_ctl` from Debian's package
 * (/usr/lib/postgresql/<major>/bin, the highest major), a cluster in a temp folder on a free
 * loopback port, password (scram-sha-256) authentication with a generated superuser password,
 * stopped and removed afterwards. Never a mock of PostgreSQL or of pg.
 *
 * Each test file starts its own cluster (`startPostgres` in beforeAll), so files run in parallel
 * without sharing anything; inside a file, `createDatabase` gives each test a fresh database.
 * Without the binaries the PostgreSQL tests are skipped with a visible notice, except under CI,
 * where they must run (`describePostgres` throws).
 */

const PG_ROOT = '/usr/lib/postgresql';

/** The bin folder of the newest installed PostgreSQL, or why there is none. */
export function findPostgresBin(): { bin?: string; missing?: string } {
  if (!existsSync(PG_ROOT)) return { missing: `${PG_ROOT} does not exist (install Debian's postgresql package)` };
  const majors = readdirSync(PG_ROOT)
    .filter((d) => /^\d+$/.test(d) && existsSync(path.join(PG_ROOT, d, 'bin', 'initdb')) && existsSync(path.join(PG_ROOT, d, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  if (majors.length === 0) return { missing: `no ${PG_ROOT}/*/bin/initdb and pg_ctl (install Debian's postgresql package)` };
  return { bin: path.join(PG_ROOT, majors[0]!, 'bin') };
}

const found = findPostgresBin();
const inCi = process.env.CI === 'true' || process.env.CI === '1';

/** True when the PostgreSQL tests can run here; prints the notice once per file when they cannot. */
export function postgresAvailable(): boolean {
  if (found.bin) return true;
  if (inCi) throw new Error(`PostgreSQL tests must run in CI, but ${found.missing}`);
  console.warn(`notice: skipping the PostgreSQL tests: ${found.missing}`);
  return false;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PgCluster {
  host: string;
  port: number;
  user: string;
  /** The superuser's password: tests check it never appears in any output. */
  password: string;
  /** A connection URL to `database`, without the password unless asked. */
  url(database: string, opts?: { withPassword?: boolean }): string;
  /** Creates a fresh, empty database and returns its name. */
  createDatabase(): Promise<string>;
  /** Runs SQL as the superuser on `database` (default `postgres`). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[], database?: string): Promise<R[]>;
  stop(): void;
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL program: as the `postgres` system user when we are root (initdb and postgres refuse root). */
function runPg(bin: string, program: string, args: string[]): void {
  const file = path.join(bin, program);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  execFileSync(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: os.tmpdir() });
}

/**
 * Stops and removes clusters whose test process died without stopping them (killed mid-run), so a
 * crashed run does not leave servers behind. Each cluster folder names its owner in owner.pid.
 */
function reapOrphans(bin: string): void {
  for (const name of readdirSync(os.tmpdir())) {
    if (!name.startsWith('promptctl-pg-')) continue;
    const dir = path.join(os.tmpdir(), name);
    let owner: number;
    try {
      owner = Number(readFileSync(path.join(dir, 'owner.pid'), 'utf8'));
    } catch {
      continue; // being created right now, or not ours
    }
    if (isAlive(owner)) continue;
    try {
      if (existsSync(path.join(dir, 'data', 'postmaster.pid'))) runPg(bin, 'pg_ctl', ['-D', path.join(dir, 'data'), '-m', 'immediate', '-w', 'stop']);
    } catch {
      // Already stopped.
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function startPostgres(): Promise<PgCluster> {
  const bin = found.bin;
  if (!bin) throw new Error(`cannot start PostgreSQL: ${found.missing}`);
  reapOrphans(bin);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'promptctl-pg-'));
  const data = path.join(dir, 'data');
  const password = `pw-${randomBytes(12).toString('hex')}`;
  const pwfile = path.join(dir, 'pwfile');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  writeFileSync(path.join(dir, 'owner.pid'), String(process.pid));
  if (asRoot) {
    const { uid, gid } = postgresIds();
    chownSync(dir, uid, gid);
    chownSync(pwfile, uid, gid);
  }
  chmodSync(dir, 0o700);
  let port = 0;
  try {
    runPg(bin, 'initdb', ['-D', data, '-U', 'postgres', '-A', 'scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-sync', '--no-instructions']);
    rmSync(pwfile);
    // A port taken between freePort and the start (another test file) fails the start: try again.
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      try {
        runPg(bin, 'pg_ctl', ['-D', data, '-l', path.join(dir, 'server.log'), '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir} -c fsync=off`, '-w', 'start']);
        break;
      } catch (err) {
        if (attempt >= 2) throw err;
      }
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      runPg(bin, 'pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once('exit', stop);
  const host = '127.0.0.1';
  const user = 'postgres';
  const query: PgCluster['query'] = async (sql, params, database = 'postgres') => {
    const client = new pg.Client({ host, port, user, password, database });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  let databases = 0;
  return {
    host,
    port,
    user,
    password,
    url: (database, opts = {}) => `postgres://${user}${opts.withPassword ? `:${encodeURIComponent(password)}` : ''}@${host}:${port}/${database}`,
    async createDatabase() {
      const name = `t${process.pid}_${++databases}`;
      await query(`CREATE DATABASE ${name}`);
      return name;
    },
    query,
    stop,
  };
}

function postgresIds(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * For a test file that drives the CLI against PostgreSQL and the simulator: starts a cluster and a
 * simulator before the file (when PostgreSQL is available) and stops both, removing the file's temp
 * folders, after it. The returned `cluster` and `sim` are live once the tests run.
 */
export function postgresAndSimulatorForFile(simOptions: SimOptions = {}): { readonly cluster: PgCluster; readonly sim: Simulator } {
  const live: { cluster?: PgCluster; sim?: Simulator } = {};
  beforeAll(async () => {
    if (!postgresAvailable()) return;
    [live.cluster, live.sim] = await Promise.all([startPostgres(), startSimulator({ port: 0, ...simOptions })]);
  });
  afterAll(async () => {
    live.cluster?.stop();
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
