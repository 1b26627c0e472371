import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { errorCode, isPromptctlError, UnavailableError } from '../../core/errors.js';
import { requireRoom } from './disk-room.js';
import { SCHEMA_VERSION } from './migrations.js';
import { busyUnavailable, DEFAULT_BUSY_RETRY, isBusyError, withBusyRetry } from './sqlite-busy.js';
import { createRegistryFile } from './sqlite-create.js';
import { recoverHint, refuseEmptyFile, refuseUnversioned, registryFault } from './sqlite-faults.js';
import { folderRefusedReader, openSnapshot, openSqlite, walHasContent } from './sqlite-driver.js';
import { migrate, newerSchema, type Upgrade, userVersion } from './sqlite-migrate.js';
import { presentCurrentSchema } from './sqlite-older.js';
import { requireSchema } from './sqlite-schema-check.js';

/**
 * Opening the registry file: folder, pragmas, migrations, and turning every way this can fail
 * into an UnavailableError (exit 3) that names the file and what to do.
 */

/** How long a statement waits for another process's lock on the file (SQLite's busy_timeout), by default. */
export const BUSY_TIMEOUT_MS = 10_000;

/** Told when a writer upgraded the file's schema (from, to): once, by the process that did it. */
export type OnUpgrade = (from: number, to: number) => void;

/** What a writer's open tells its caller, each once, by the process that did it. */
export interface OpenNotices {
  onUpgrade?: OnUpgrade;
  /** This process created the file (its new file was the one put in place, not a racing creator's). */
  onCreated?: () => void;
}

/** `library`: the library's reader, whose faults are worded for an application (sqlite-faults.ts). */
export function openDatabase(path: string, readonly: boolean, notices: OpenNotices = {}, busyTimeoutMs = BUSY_TIMEOUT_MS, library = false): Database.Database {
  try {
    if (path !== ':memory:') refuseEmptyFile(path);
    if (readonly) return openReadonly(path, busyTimeoutMs, library);
    if (path !== ':memory:') requireRoom(path);
    const created = path !== ':memory:' && !existsSync(path) && createRegistryFile(path);
    if (path !== ':memory:' && walHasContent(path)) checkIntact(path);
    const db = openSqlite(path, { fileMustExist: path !== ':memory:' });
    try {
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      if (path !== ':memory:') refuseUnversioned(db, path);
      const upgraded = prepareReadWrite(db, path, busyTimeoutMs);
      // Before anything is written: a table or column dropped by hand is refused here, not halfway through a command.
      requireSchema(db, path);
      if (upgraded && path !== ':memory:') notices.onUpgrade?.(upgraded.from, upgraded.to);
      if (created) notices.onCreated?.();
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  } catch (err) {
    throw asUnavailable(err, path);
  }
}

/**
 * A reader never migrates (sqlite-older.ts says why): an older file is read as it is, through what
 * its upgrade would have added, presented on this connection only.
 */
function openReadonly(path: string, busyTimeoutMs: number, library: boolean): Database.Database {
  const db = openShared(path, busyTimeoutMs);
  try {
    refuseUnversioned(db, path, library);
    const version = userVersion(db);
    if (version > SCHEMA_VERSION) throw newerSchema(path, version, library);
    if (version < SCHEMA_VERSION) presentCurrentSchema(db, path, version);
    db.pragma('foreign_keys = ON');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * A reader's connection, shared with writers through SQLite's `-shm` beside the file; in a folder
 * this process cannot write, where that cannot be made, a snapshot of the file (sqlite-driver.ts).
 * As root, or wherever the folder can be written, SQLite leaves the `-shm` (and an empty `-wal`)
 * after a reader: removing them could pull them from under a writer that opened meanwhile.
 */
function openShared(path: string, busyTimeoutMs = BUSY_TIMEOUT_MS): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = openSqlite(path, { readonly: true, fileMustExist: true });
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    userVersion(db); // The first read: where a missing -shm that cannot be made fails.
    return db;
  } catch (err) {
    db?.close();
    if (!folderRefusedReader(err, path)) throw err;
    return openSnapshot(path, err);
  }
}

/** At most this many problems are asked of SQLite's checks and named. */
const PROBLEM_LIMIT = 20;

/**
 * SQLite's own check of the file, on a read-only connection (a writer's close would checkpoint
 * the log into a file found damaged): `quick_check` reads every page and index; `integrity_check`
 * also cross-checks index contents. Returns up to 20 problems, none when the file is intact.
 * SQLite answers one row per problem, except that one row may hold several, one per line, under a
 * `*** in database main ***` heading: each line is a problem, the heading is not.
 */
export function integrityProblems(path: string, check: 'quick_check' | 'integrity_check'): string[] {
  try {
    const reader = openShared(path);
    try {
      const rows = reader.pragma(`${check}(${PROBLEM_LIMIT})`) as Array<Record<string, string>>;
      const found = rows.map((r) => r[check]!).filter((r) => r !== 'ok');
      const lines = found.flatMap((r) => r.split('\n')).filter((line) => line.trim() !== '' && !/^\*\*\* in database \S+ \*\*\*$/.test(line));
      return (lines.length ? lines : found).slice(0, PROBLEM_LIMIT);
    } finally {
      reader.close();
    }
  } catch (err) {
    throw asUnavailable(err, path);
  }
}

/** "SQLite's quick_check found 3 problems": how many `problems` (integrityProblems) say, at most the limit. */
export function problemsFound(check: 'quick_check' | 'integrity_check', problems: readonly string[]): string {
  const count = problems.length >= PROBLEM_LIMIT ? `${PROBLEM_LIMIT} or more problems` : `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return `SQLite's ${check} found ${count}`;
}

function checkIntact(path: string): void {
  const problems = integrityProblems(path, 'quick_check');
  if (!problems.length) return;
  throw new UnavailableError({
    message: `the registry at ${path} is damaged: ${problemsFound('quick_check', problems)} (first: ${problems[0]})`,
    why: 'the last process that wrote to it did not close it cleanly (its write-ahead log was left behind), and the file no longer checks out; writing more into it could spread the damage.',
    hint: recoverHint(path),
  });
}

function prepareReadWrite(db: Database.Database, path: string, busyTimeoutMs = BUSY_TIMEOUT_MS): Upgrade | undefined {
  // busy_timeout first: every later statement may meet a lock held by another process.
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  const retry = { ...DEFAULT_BUSY_RETRY, path, doing: 'opening it' };
  withBusyRetry(() => db.pragma('journal_mode = WAL'), retry);
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  return migrate(db, path);
}

/** Any failure while opening becomes exit 3, naming the file and a next step. */
export function asUnavailable(err: unknown, path: string): Error {
  if (isPromptctlError(err)) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const detail = err instanceof Error ? err.message : String(err);
  // A damaged or foreign file, a full disk, an I/O error: said the same way as when they surface later.
  const fault = typeof code === 'string' && /^SQLITE_(NOTADB|CORRUPT|FULL|IOERR)/.test(code) ? registryFault(err, path) : undefined;
  if (fault) return fault;
  // Another process kept the file locked past busy_timeout (exclusive locking mode, a recovery): the writers' words.
  if (isBusyError(err)) return busyUnavailable({ path, doing: 'opening it' }, err);
  let hint = `check that ${path} is a promptctl registry and readable, or set registry.path in .promptrc.yaml`;
  if (code === 'SQLITE_CANTOPEN' || code === 'ENOENT' || code === 'ENOTDIR') {
    hint = `check that the folder of ${path} exists and is writable, or set registry.path in .promptrc.yaml`;
  } else if (code === 'EACCES' || code === 'EPERM' || (typeof code === 'string' && code.startsWith('SQLITE_READONLY')) || code === 'SQLITE_PERM') {
    // A reader in such a folder reads a snapshot (openShared): this is a writer, or a file it cannot read.
    hint = `check that this user can write ${path} and create files in its folder (a read-only mount or a file owned by another user cannot be recorded into; ${readersStillRead(path) ? 'commands that only show what is recorded still read it)' : `this user cannot read it there either, as a reader makes ${path}-shm beside it): let this user write the folder (a group shared with the user who deploys), or copy the registry to a folder it can write`}`;
  }
  return new UnavailableError({ message: `cannot open the registry at ${path}`, why: detail, hint, cause: err });
}

/**
 * Whether this user's read-only commands can read the registry at `path` where it cannot record:
 * a reader needs to make the -shm beside it (a folder it can write), or reads a snapshot on a
 * read-only medium; a folder that is only not this user's is refused to readers too (openSnapshot).
 */
function readersStillRead(path: string): boolean {
  try {
    accessSync(dirname(resolve(path)), constants.W_OK);
    return true;
  } catch (err) {
    // A read-only medium (sqlite-driver.ts onReadOnlyMedium): read as a snapshot.
    return errorCode(err) === 'EROFS';
  }
}
