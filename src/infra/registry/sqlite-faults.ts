import { existsSync, statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { errorCode, isPromptctlError, UnavailableError } from '../../core/errors.js';
import { shellWord } from '../../core/shell-word.js';
import { FREE_SPACE_HINT, freeBytes, kilobytes, LOW_ROOM_BYTES } from './disk-room.js';

/**
 * What SQLite says when the registry file itself fails under a command — damaged pages, a full
 * disk, an I/O error — turned into exit 3 that names the file, SQLite's reason and what to do.
 * These can surface from any statement, not only on open, so every call on the registry passes
 * through `guardFaults` (sqlite.ts); anything else is left as it is.
 */

function reasonOf(err: unknown, code: string): string {
  const detail = err instanceof Error ? err.message : String(err);
  return `${detail} (${code})`;
}

/**
 * How to get a usable registry back: a backup, or what SQLite can still recover into a new file.
 * `.recover` fails even on a healthy file in some sqlite3 builds (3.40.1, Debian 12's), leaving an
 * empty file; `.dump` then reads what it can, but ends in ROLLBACK after a damaged page (made
 * COMMIT here, or nothing is kept) and leaves out user_version, promptctl's schema version, which a
 * registry is refused without. audit verify reads registry.path, so that is pointed at the copy first.
 */
export function restoreSteps(path: string): string {
  const from = shellWord(path);
  const to = shellWord(`${path}.recovered`);
  const recover = `sqlite3 ${from} .recover | sqlite3 ${to}`;
  const dump = `sqlite3 ${from} .dump | sed 's/^ROLLBACK; -- due to errors$/COMMIT;/' | sqlite3 ${to} && sqlite3 ${to} "PRAGMA user_version = $(sqlite3 ${from} 'PRAGMA user_version')"`;
  return (
    `${backupRestore(path)}; or recover what SQLite can still read into a new file: \`${recover}\` ` +
    `(if that fails or leaves ${path}.recovered empty, as sqlite3 3.40 does, delete it and run \`${dump}\`), ` +
    `then point registry.path in .promptrc.yaml at ${path}.recovered and check it with \`promptctl audit verify\``
  );
}

/**
 * Copying a backup over the registry file is not enough: SQLite keeps no link between a file and
 * its write-ahead log, so a `-wal` left beside it (by a process that died, or an application still
 * reading) is replayed onto whatever file is copied in, undoing the restore, or damaging it when the
 * copy is of another history ("database disk image is malformed", whose hint led back here).
 */
function backupRestore(path: string): string {
  const logs = `${shellWord(`${path}-wal`)} ${shellWord(`${path}-shm`)}`;
  return (
    `restore ${path} from a backup (a copy, the CI cache or artifact): stop every promptctl command and application using it, ` +
    `delete its write-ahead log first (\`rm -f ${logs}\`: one left there is replayed onto the copy, undoing the restore or damaging it), then copy the backup in (with its own -wal, if it has one)`
  );
}

/** The hint for a registry that cannot be read as it is. */
export function recoverHint(path: string): string {
  return `${restoreSteps(path)}; promptctl writes nothing into a damaged registry`;
}

/**
 * A zero-length file where the registry should be is refused, never taken as a fresh registry: it
 * is what is left of a registry truncated by a failed copy or a full disk, and creating a registry
 * in it would hide that the history is gone. (promptctl itself never leaves one: see createRegistryFile.)
 */
export function refuseEmptyFile(path: string): void {
  if (!existsSync(path) || !statSync(path).isFile() || statSync(path).size > 0) return;
  throw new UnavailableError({
    message: `the registry at ${path} is empty (0 bytes)`,
    why: 'a registry always holds at least its schema; an empty file is what a failed copy, a full disk or a truncation leaves, so the history it held may be lost.',
    hint: `${restoreSteps(path)}; if no registry was ever there, delete the empty file and run the command again`,
  });
}

/**
 * A SQLite file without promptctl's schema version (user_version 0) is never taken as a new
 * registry: a new one is always built under a temporary name and linked into place with its schema
 * (createRegistryFile), so nothing at the path is a first open in progress. With no tables at all it
 * is refused like an empty file: it is what copying a young WAL registry without its `-wal` file
 * leaves (the header page only, every table still in the log), or a copy cut short. With tables it
 * is another program's database, which a writer would otherwise fill with promptctl's tables.
 * `library`: the library's reader (index.ts), whose application has no .promptrc.yaml to fix.
 */
export function refuseUnversioned(db: Database.Database, path: string, library = false): void {
  if (db.pragma('user_version', { simple: true }) !== 0) return;
  const tables = db.prepare<[], string>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name LIMIT 4").pluck().all();
  if (tables.length) {
    throw new UnavailableError({
      message: `${path} is a SQLite database but not a promptctl registry`,
      why: `it has tables (${tables.join(', ')}${tables.length === 4 ? ', …' : ''}) but no promptctl schema version: another program's database, and promptctl writes nothing into it.`,
      // The library's reader reads no .promptrc.yaml and creates no registry: its application passes the path.
      hint: library
        ? `pass openRegistry the path of the project's registry file (.promptctl/registry.db in the project's folder by default, unless its config names another); the reader writes nothing into ${path}`
        : `point registry.path in .promptrc.yaml at the registry, or move ${path} aside so promptctl can create a new registry there`,
    });
  }
  throw new UnavailableError({
    message: `the registry at ${path} holds no schema (a SQLite file with no tables)`,
    why: `a registry always holds its tables; a bare SQLite header is what copying a registry without its ${path}-wal file leaves (its content was still in the write-ahead log), or a copy cut short, so the history it held may be lost.`,
    hint: `${restoreSteps(path)} (a copy of a registry in use must take its -wal file along); if no registry was ever there, delete the file and run the command again`,
  });
}

/** A registry whose tables lack a table or column promptctl's migrations made (exit 3). */
export function schemaLacks(path: string, what: string, cause?: unknown): UnavailableError {
  return new UnavailableError({
    message: `the registry at ${path} is damaged: its schema lacks what promptctl made (${what})`,
    why: 'the table definitions in the file were damaged, or changed by another program.',
    hint: recoverHint(path),
    ...(cause === undefined ? {} : { cause }),
  });
}

export function isCorruption(err: unknown): boolean {
  const code = errorCode(err);
  return code !== undefined && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/** The typed error for a SQLite fault of the registry at `path`, or undefined for any other error. */
export function registryFault(err: unknown, path: string): UnavailableError | undefined {
  if (isPromptctlError(err)) return undefined;
  const code = errorCode(err);
  if (!code?.startsWith('SQLITE_')) return undefined;
  const reason = reasonOf(err, code);
  if (code === 'SQLITE_NOTADB') {
    return new UnavailableError({
      message: `the registry at ${path} is not a SQLite database, or is damaged beyond its header`,
      why: `SQLite refused the file: ${reason}. Another file may have been copied over it, or it was cut off.`,
      hint: `${path} is not a SQLite database (or is damaged): if another file was put there, move it aside or set registry.path in .promptrc.yaml; otherwise ${recoverHint(path)}`,
      cause: err,
    });
  }
  // promptctl's own code (sqlite-rows.ts): SQLite reads the file fine, one of promptctl's JSON columns
  // holds something else. Not damaged pages: .recover would copy the row as it is.
  if (code === 'SQLITE_CORRUPT_ROW') {
    return new UnavailableError({
      message: `the registry at ${path} holds a row promptctl cannot read: ${reason}`,
      why: 'promptctl writes only JSON in that column: the row was edited outside promptctl (by hand, or by another program), or the file was damaged.',
      hint: `${backupRestore(path)}, and find out who changed it; a SQLite recovery (.recover, .dump) would copy the row as it is; promptctl writes nothing into a registry it cannot read`,
      cause: err,
    });
  }
  if (isCorruption(err)) {
    return new UnavailableError({
      message: `the registry at ${path} is damaged: ${reason}`,
      why: 'pages of the file were overwritten or lost (a crash while copying it, a disk fault, or another program writing into it), so SQLite cannot read it safely.',
      hint: recoverHint(path),
      cause: err,
    });
  }
  // promptctl's statements are fixed and its migrations made every table and column they name: a
  // missing one means the schema in the file was damaged or changed outside promptctl. SQLite says
  // so as "no such table/column" in a query, and as "table x has no column named y" in an INSERT.
  if (code === 'SQLITE_ERROR' && /^(no such (table|column|index)\b|table \S+ has no column named )/.test(err instanceof Error ? err.message : '')) {
    return schemaLacks(path, reason, err);
  }
  if (code === 'SQLITE_FULL' || (code === 'SQLITE_IOERR_WRITE' && /no space|full/i.test(reason))) {
    return diskFull(path, `SQLite could not grow the file: ${reason}`, err);
  }
  // SQLite words a write refused for lack of room beside the file (its -shm, made anew by the first
  // connection; its -wal) as an I/O error without the system's reason: the disk's free space tells.
  if (ROOM_FAULTS.has(code)) {
    const free = freeBytes(path);
    if (free !== undefined && free < LOW_ROOM_BYTES) {
      return diskFull(path, `SQLite could not write the registry or the files it keeps beside it (${path}-wal, ${path}-shm): ${reason}, with ${kilobytes(free)} free there`, err);
    }
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new UnavailableError({
      message: `cannot read or write the registry at ${path}: disk I/O error`,
      why: `the operating system reported an error: ${reason}.`,
      hint: 'check the disk and the file system holding it (a network or removable disk that went away?), then run again; if it keeps failing, restore the registry from a backup.',
      cause: err,
    });
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_CANTOPEN') {
    return new UnavailableError({
      message: `cannot write the registry at ${path}`,
      why: `SQLite refused: ${reason}.`,
      hint: `check that ${path} and its folder exist and are writable by this user, or set registry.path in .promptrc.yaml.`,
      cause: err,
    });
  }
  return undefined;
}

/** The I/O errors a write meets on a disk without room (SQLite's extended codes). */
const ROOM_FAULTS = new Set(['SQLITE_IOERR_SHMSIZE', 'SQLITE_IOERR_SHMMAP', 'SQLITE_IOERR_WRITE', 'SQLITE_IOERR_TRUNCATE', 'SQLITE_IOERR_FSYNC']);

function diskFull(path: string, why: string, err: unknown): UnavailableError {
  return new UnavailableError({
    message: `the disk holding the registry at ${path} is full`,
    why: `${why}. The command's changes were rolled back: nothing is half-written.`,
    hint: FREE_SPACE_HINT,
    cause: err,
  });
}

/** Runs `step`, turning a SQLite fault of the registry at `path` into its typed error. */
export function guardFaults<T>(path: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    throw registryFault(err, path) ?? err;
  }
}
