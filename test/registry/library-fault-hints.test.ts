import { createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/index.js';
import type { UnavailableError } from '../../src/core/errors.js';
import { SCHEMA_VERSION } from '../../src/infra/registry/migrations.js';
import { pgFault, type FaultContext } from '../../src/infra/registry/postgres/faults.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { makeTempDir } from './harness.js';

/**
 * The library's reader reads no .promptrc.yaml and takes no flags: its hints name what
 * openRegistry takes, never registry.url, registry.password_env or "PROMPTCTL_REGISTRY_URL (which wins)".
 * The CLI's keep naming the config.
 */

const where = 'postgres://app@127.0.0.1:5432/prompts';
const faults: Array<[string, Error]> = [
  ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })],
  ['wrong password', Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' })],
  ['no password', new Error('SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string')],
  ['no answer', new Error('Query read timeout')],
  ['connecting timed out', new Error('Connection terminated due to connection timeout')],
];

describe('PostgreSQL fault hints', () => {
  it.each(faults)('the library: %s', (_, err) => {
    const ctx: FaultContext = { where, secrets: [], doing: 'connecting', library: true };
    const e = pgFault(err, ctx) as UnavailableError;
    expect(e.exitCode).toBe(3);
    expect(`${e.why ?? ''} ${e.hint ?? ''}`).not.toMatch(/promptrc|registry\.url|password_env|which wins|--\w/);
  });

  it.each(faults.slice(0, 2))('the CLI: %s names the config', (_, err) => {
    const e = pgFault(err, { where, secrets: [], doing: 'connecting' }) as UnavailableError;
    expect(e.hint).toMatch(/registry\.url in \.promptrc\.yaml|registry\.password_env/);
  });

  // The reader never writes nor opens a transaction, so it meets these only through another
  // caller of the library's connection; their hints still say what follows the fix per caller.
  it.each([
    ['a read-only server', Object.assign(new Error('cannot execute INSERT in a read-only transaction'), { code: '25006' })],
    ['idle_in_transaction_session_timeout', Object.assign(new Error('terminating connection due to idle-in-transaction timeout'), { code: '25P03' })],
    ['a cancelled statement', Object.assign(new Error('canceling statement due to user request'), { code: '57014' })],
  ])('%s: the library is told its reader tries again by itself, the CLI to run the command again', (_, err) => {
    const app = pgFault(err, { where, secrets: [], doing: 'reading', library: true }) as UnavailableError;
    expect(app.hint).toMatch(/; the application's reader tries again by itself on a later read$/);
    expect(app.hint).not.toMatch(/this command|the command again|eval --resume/);
    const cli = pgFault(err, { where, secrets: [], doing: 'reading' }) as UnavailableError;
    expect(cli.hint).toMatch(/; then run this command again/);
  });

  it("an application's reader on a port nothing listens on is told about its url", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const reader = openRegistry({ url: `postgres://app:pw@127.0.0.1:${port}/prompts` });
    try {
      const e = (await reader.getActive('p', 'production').catch((err: unknown) => err)) as UnavailableError;
      expect(e.exitCode).toBe(3);
      expect(e.hint).toContain('the url given to openRegistry');
      expect(e.hint).not.toMatch(/promptrc|which wins/);
    } finally {
      await reader.close();
    }
  });
});

describe('a Unix socket with no server behind it, met while connecting again mid-command', () => {
  const gone = Object.assign(new Error('connect ENOENT /run/postgresql/.s.PGSQL.5432'), { code: 'ENOENT', syscall: 'connect', address: '/run/postgresql/.s.PGSQL.5432' });
  it.each([
    [false, /eval --resume/],
    [true, /serves its last good value/],
  ])('says how the command goes on, as over TCP (library %s)', (library, goOn) => {
    const again = pgFault(gone, { where, secrets: [], doing: 'connecting again', reconnecting: true, library }) as UnavailableError;
    expect(again.message).toMatch(/no PostgreSQL server listens on the Unix socket/);
    expect(again.hint).toMatch(goOn);
    const first = pgFault(gone, { where, secrets: [], doing: 'connecting', library }) as UnavailableError;
    expect(first.hint).not.toMatch(goOn);
  });
});

describe("the library's { path } reader on a file it cannot read as a registry", () => {
  const tmp = makeTempDir();
  afterAll(() => tmp.cleanup());
  /** A SQLite file with a table and `version` as its user_version (0: not promptctl's). */
  function sqliteFile(name: string, version: number): string {
    const file = join(tmp.dir, name);
    const db = new Database(file);
    db.exec('CREATE TABLE t (x)');
    db.pragma(`user_version = ${version}`);
    db.close();
    return file;
  }
  const CLI_ONLY = /promptrc|registry\.path|npm install -g|so promptctl can create/;

  async function readerFault(file: string): Promise<UnavailableError> {
    // Opening reads the file's schema version already: the fault comes from openRegistry or the read.
    let reader: ReturnType<typeof openRegistry> | undefined;
    try {
      reader = openRegistry({ path: file });
      await reader.getActive('p', 'production');
    } catch (err) {
      return err as UnavailableError;
    } finally {
      await reader?.close();
    }
    return expect.fail('the read succeeded');
  }

  it("another program's database: pass openRegistry the registry's path; the CLI keeps registry.path", async () => {
    const file = sqliteFile('other.db', 0);
    const e = await readerFault(file);
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe(`${file} is a SQLite database but not a promptctl registry`);
    expect(e.hint).toMatch(/^pass openRegistry the path of the project's registry file/);
    expect(e.hint).not.toMatch(CLI_ONLY);
    let cli: UnavailableError | undefined;
    try {
      openSqliteRegistry({ path: file, readonly: true });
    } catch (err) {
      cli = err as UnavailableError;
    }
    expect(cli?.hint).toBe(`point registry.path in .promptrc.yaml at the registry, or move ${file} aside so promptctl can create a new registry there`);
  });

  it("a newer schema: upgrade the application's promptctl dependency; the CLI keeps npm install -g", async () => {
    const file = sqliteFile('newer.db', SCHEMA_VERSION + 5);
    const e = await readerFault(file);
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe(`registry was written by a newer promptctl (schema ${SCHEMA_VERSION + 5} > ${SCHEMA_VERSION})`);
    expect(e.hint).toMatch(/the application's promptctl dependency/);
    expect(e.hint).not.toMatch(CLI_ONLY);
    let cli: UnavailableError | undefined;
    try {
      openSqliteRegistry({ path: file, readonly: true });
    } catch (err) {
      cli = err as UnavailableError;
    }
    expect(cli?.hint).toMatch(/npm install -g promptctl@latest\), or point registry\.path in \.promptrc\.yaml/);
  });
});
