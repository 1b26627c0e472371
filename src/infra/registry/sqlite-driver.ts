import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type Database from 'better-sqlite3';
import { errorCode, UnavailableError } from '../../core/errors.js';
import { shellWord } from '../../core/shell-word.js';
import { requirePackage } from '../lazy-package.js';

/**
 * better-sqlite3, required when the first registry file is opened (lazy-package.ts) rather than
 * when the registry modules load: they load for every command, a PostgreSQL registry's included,
 * which never opens a file, and requiring better-sqlite3 costs about 6 ms of a 190 ms `deploy` there.
 *
 * Its native addon (loaded by the first connection) is loaded with SQLite's URI file names allowed:
 * SQLITE_USE_URI, which the addon reads once as it loads, is the only way better-sqlite3 offers to
 * open a file `immutable` (openSnapshot). Only a name starting with `file:` is a URI, and
 * openSqlite makes every other name absolute. An application that loaded better-sqlite3 itself
 * first keeps its setting: a snapshot then fails with its own error (openSnapshot).
 */
let addonLoaded = false;

function connect(name: string, options?: Database.Options): Database.Database {
  const Sqlite = requirePackage<typeof Database>('better-sqlite3');
  if (addonLoaded || process.env.SQLITE_USE_URI !== undefined) return new Sqlite(name, options);
  process.env.SQLITE_USE_URI = '1';
  try {
    return new Sqlite(name, options);
  } finally {
    delete process.env.SQLITE_USE_URI;
    addonLoaded = true;
  }
}

export function openSqlite(path: string, options?: Database.Options): Database.Database {
  return connect(path === ':memory:' || isAbsolute(path) ? path : resolve(path), options);
}

/**
 * Whether a read-only open failed because SQLite could not make, beside the file, what a reader of
 * a WAL database shares with other connections (`-shm`, and `-wal` if missing): a folder this
 * process cannot write (a read-only mount, a file shipped in an image and owned by another user,
 * a ConfigMap). Every SQLITE_READONLY* code, and SQLITE_CANTOPEN of a file that is there.
 */
export function folderRefusedReader(err: unknown, path: string): boolean {
  const code = errorCode(err) ?? '';
  return code.startsWith('SQLITE_READONLY') || (code === 'SQLITE_CANTOPEN' && existsSync(path));
}

/**
 * The clean-shutdown marker is SQLite's own: the last connection to close cleanly checkpoints the
 * write-ahead log and deletes it (a reader leaves it empty). A -wal file with content when a writer
 * opens means a process died with the registry open (or another one has it open right now), so
 * the file may have been damaged under it: check it before writing, once per open, never per change.
 * A snapshot reader refuses such a log too: its changes are not in the file yet.
 */
export function walHasContent(path: string): boolean {
  try {
    return statSync(`${path}-wal`).size > 0;
  } catch {
    return false;
  }
}

/**
 * Whether `path` sits on a file system mounted read-only (a read-only bind mount, a ConfigMap, a
 * read-only root file system): access(2) answers EROFS for a write there, whoever asks. A folder
 * that is only not writable by this user (owned by the user who deploys) is not one: another
 * process may write the file in place.
 */
export function onReadOnlyMedium(path: string): boolean {
  try {
    accessSync(dirname(resolve(path)), constants.W_OK);
    return false;
  } catch (err) {
    return errorCode(err) === 'EROFS';
  }
}

/** The connections openSnapshot made: their reader checks the file before and after each read (registry-file.ts). */
const snapshots = new WeakSet<Database.Database>();

/** Whether `db` reads its file as a snapshot, blind to changes made after it was opened. */
export function readsSnapshot(db: Database.Database): boolean {
  return snapshots.has(db);
}

/**
 * The registry at `path`, on a read-only medium, opened as a snapshot: SQLite's `immutable` mode
 * reads the file alone, taking no locks and making no `-shm`. It is read as it was when opened,
 * so its reader reopens it when the file changes (a read-only bind mount of a folder written on the
 * host has a writer: registry-file.ts, snapshot-state.ts). A folder this user merely cannot write is refused instead: a
 * writer there (the user who deploys) changes the file in place, and a snapshot would serve the
 * old content unmarked, or pages torn by a checkpoint. A `-wal` with content beside it would be
 * ignored (its changes not yet in the file), so that is refused instead of read stale.
 */
export function openSnapshot(path: string, cause: unknown, readOnlyMedium = onReadOnlyMedium(path)): Database.Database {
  const reason = `${cause instanceof Error ? cause.message : String(cause)} (${errorCode(cause) || 'no code'})`;
  if (!readOnlyMedium) {
    throw new UnavailableError({
      message: `cannot read the registry at ${path}: its folder cannot be written by this user`,
      why: `SQLite must create ${path}-shm beside a WAL registry to read it alongside its writers (${reason}); the folder is not on a read-only medium, so another user may write the registry in place, and it is not read as a snapshot that could go stale unseen.`,
      hint: `let this user write the folder of ${path} (a group shared with the user who deploys), or ship the registry on a read-only mount (read as a snapshot), or copy it to a folder this user can write`,
      cause,
    });
  }
  if (walHasContent(path)) {
    throw new UnavailableError({
      message: `cannot read the registry at ${path}: its folder cannot be written, and its write-ahead log (${path}-wal) still holds changes`,
      why: `SQLite reads a WAL registry's log through a ${path}-shm file it must create beside it (${reason}); reading the file alone would miss the changes in the log.`,
      hint: `checkpoint the registry before shipping it (\`sqlite3 ${shellWord(path)} 'PRAGMA wal_checkpoint(TRUNCATE)'\` where it can be written; a promptctl command that records also leaves it checkpointed), or make its folder writable by this user`,
      cause,
    });
  }
  try {
    const db = connect(`${pathToFileURL(resolve(path)).href}?immutable=1`, { readonly: true, fileMustExist: true });
    db.pragma('user_version');
    snapshots.add(db);
    return db;
  } catch (err) {
    throw new UnavailableError({
      message: `cannot read the registry at ${path}: its folder cannot be written by this user`,
      why: `SQLite needs to create ${path}-shm beside a WAL registry to read it (${reason}), and opening it as a read-only snapshot failed too: ${err instanceof Error ? err.message : String(err)}.`,
      hint: `make the folder of ${path} writable by this user, or copy the registry to a folder it can write and read it there`,
      cause,
    });
  }
}
