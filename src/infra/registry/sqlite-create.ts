import { randomBytes } from 'node:crypto';
import { constants, copyFileSync, existsSync, linkSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorCode, UnavailableError } from '../../core/errors.js';
import { namedProcessGone, thisProcess } from '../local-pid.js';
import { makeFolder } from '../self-ignore.js';
import { openSqlite, walHasContent } from './sqlite-driver.js';
import { migrate } from './sqlite-migrate.js';

/**
 * Creates a new registry atomically: built and migrated under a temporary name in the same folder,
 * then hard-linked into place (which fails if another process got there first; its registry is
 * then used). So no process ever sees a half-made registry, and an empty file at the path is never
 * a first open in progress. Returns whether this process's file is the one put in place.
 *
 * It is built with a rollback journal, not a write-ahead log: each step's commit then either puts
 * its pages in the file itself or fails (SQLITE_FULL on a full disk). Built in WAL mode, the steps
 * were committed into the temporary name's -wal, and a close that could not checkpoint them (no
 * room) said nothing: the link put a file without those pages in place and the -wal was deleted with
 * the temporary name, leaving a registry damaged for good.
 */
export function createRegistryFile(path: string): boolean {
  makeFolder(dirname(path));
  removeAbandoned(path);
  // `<pid>@<host>` (URI-encoded: a host name is no file name), so that only this host judges whether its creator is gone.
  const temp = `${path}.new-${encodeURIComponent(thisProcess())}-${randomBytes(4).toString('hex')}`;
  try {
    const db = openSqlite(temp);
    try {
      db.pragma('journal_mode = DELETE');
      db.pragma('foreign_keys = ON');
      migrate(db, temp);
      // A WAL registry from its first open, as before: the switch rewrites the header in place.
      db.pragma('journal_mode = WAL');
    } finally {
      db.close();
    }
    // Nothing is written through the log above; one left with content would hold pages the file lacks.
    if (walHasContent(temp)) throw notCheckpointed(path, temp);
    try {
      linkSync(temp, path);
      return true;
    } catch (err) {
      const code = errorCode(err);
      if (code === 'EEXIST') return false; // Another process created it first: use theirs.
      // A file system without hard links: an exclusive copy still never replaces another's registry.
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
      try {
        copyFileSync(temp, path, constants.COPYFILE_EXCL);
        return true;
      } catch (copyErr) {
        if (errorCode(copyErr) !== 'EEXIST') throw copyErr;
        return false;
      }
    }
  } finally {
    for (const f of [temp, `${temp}-journal`, `${temp}-wal`, `${temp}-shm`]) if (existsSync(f)) unlinkSync(f);
  }
}

/**
 * What a creation killed midway left (`registry.db.new-<pid>%40<host>-<8 hex>` and its `-journal`,
 * `-wal`, `-shm`): removed when its process, of this host, is gone. A live creator's files are left
 * alone, and so are another host's (on a folder shared by NFS or a bind mount its live pid may be
 * gone here) and names of another form.
 */
function removeAbandoned(path: string): void {
  const folder = dirname(path);
  const prefix = `${basename(path)}.new-`;
  for (const name of readdirSync(folder)) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(.+)-[0-9a-f]{8}(?:-journal|-wal|-shm)?$/.exec(name.slice(prefix.length));
    const creator = m && decoded(m[1]!);
    if (creator && namedProcessGone(creator)) rmSync(join(folder, name), { force: true });
  }
}

/** A URI-encoded part of a file name, or undefined when it is not one. */
function decoded(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

function notCheckpointed(path: string, temp: string): UnavailableError {
  return new UnavailableError({
    message: `cannot create the registry at ${path}: SQLite left part of the new registry in ${temp}-wal`,
    why: 'the new file was not complete when SQLite closed it (a disk that filled up, or an I/O error), so it was not moved into place.',
    hint: 'free space on that disk (or point registry.path in .promptrc.yaml at another one), then run the command again.',
  });
}
