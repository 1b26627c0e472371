import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { isPromptctlError, UnavailableError } from '../../core/errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { DEFAULT_BUSY_RETRY, withBusyRetry } from './sqlite-busy.js';

/**
 * Opening the registry file: folder, pragmas, migrations, and turning every way this can fail
 * into an UnavailableError (exit 3) that names the file and what to do.
 */

export const BUSY_TIMEOUT_MS = 10_000;

export function openDatabase(path: string, readonly: boolean): Database.Database {
  try {
    if (readonly) return openReadonly(path);
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    try {
      prepareReadWrite(db, path);
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  } catch (err) {
    throw asUnavailable(err, path);
  }
}

function openReadonly(path: string): Database.Database {
  let db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const version = userVersion(db);
  if (version > SCHEMA_VERSION) {
    db.close();
    throw newerSchema(path, version);
  }
  if (version < SCHEMA_VERSION) {
    // A read-only reader of an older file: migrate once through a short read-write connection.
    db.close();
    const writer = new Database(path, { fileMustExist: true });
    try {
      prepareReadWrite(writer, path);
    } finally {
      writer.close();
    }
    db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  }
  db.pragma('foreign_keys = ON');
  return db;
}

function prepareReadWrite(db: Database.Database, path: string): void {
  // busy_timeout first: every later statement may meet a lock held by another process.
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const retry = { ...DEFAULT_BUSY_RETRY, path, doing: 'opening it' };
  withBusyRetry(() => db.pragma('journal_mode = WAL'), retry);
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db, path);
}

/** Applies pending migrations, one transaction per step, safe when several processes open at once. */
export function migrate(db: Database.Database, path: string): void {
  const known = userVersion(db);
  if (known > SCHEMA_VERSION) throw newerSchema(path, known);
  if (known === SCHEMA_VERSION) return; // The common case takes no write lock.
  const retry = { ...DEFAULT_BUSY_RETRY, path, doing: 'upgrading its schema' };
  for (;;) {
    const done = withBusyRetry(
      (markStarted) =>
        db
          .transaction(() => {
            markStarted();
            // Re-read inside the write lock: another process may have migrated meanwhile.
            const version = userVersion(db);
            if (version > SCHEMA_VERSION) throw newerSchema(path, version);
            const step = MIGRATIONS[version];
            if (step === undefined) return true;
            db.exec(step);
            db.pragma(`user_version = ${version + 1}`);
            return version + 1 === SCHEMA_VERSION;
          })
          .immediate(),
      retry,
    );
    if (done) return;
  }
}

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function newerSchema(path: string, version: number): UnavailableError {
  return new UnavailableError({
    message: `registry was written by a newer promptctl (schema ${version} > ${SCHEMA_VERSION})`,
    why: `${path} uses schema version ${version}; this promptctl understands up to ${SCHEMA_VERSION}`,
    hint: 'upgrade promptctl to the version that wrote this registry (npm install -g promptctl@latest), or point registry.path in .promptrc.yaml at another file',
  });
}

/** Any failure while opening becomes exit 3, naming the file and a next step. */
export function asUnavailable(err: unknown, path: string): Error {
  if (isPromptctlError(err)) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const detail = err instanceof Error ? err.message : String(err);
  let hint = `check that ${path} is a promptctl registry and readable, or set registry.path in .promptrc.yaml`;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    hint = `${path} is not a SQLite database (or is damaged): move it aside and run the command again to create a fresh registry, or set registry.path in .promptrc.yaml`;
  } else if (code === 'SQLITE_CANTOPEN' || code === 'ENOENT' || code === 'ENOTDIR') {
    hint = `check that the folder of ${path} exists and is writable, or set registry.path in .promptrc.yaml`;
  } else if (code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
    hint = `check the permissions of ${path} and its folder`;
  }
  return new UnavailableError({ message: `cannot open the registry at ${path}`, why: detail, hint, cause: err });
}
