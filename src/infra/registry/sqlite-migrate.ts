import type Database from 'better-sqlite3';
import { UnavailableError } from '../../core/errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { DEFAULT_BUSY_RETRY, withBusyRetry } from './sqlite-busy.js';

/** The registry file's schema version (SQLite's user_version) and the steps that bring it up to date. */

export type Upgrade = { from: number; to: number };

/**
 * Applies pending migrations, one transaction per step, safe when several processes open at once.
 * Returns the schema it started from when this connection applied a step (another process may have
 * done it meanwhile: then it did nothing and says nothing).
 */
export function migrate(db: Database.Database, path: string): Upgrade | undefined {
  const known = userVersion(db);
  if (known > SCHEMA_VERSION) throw newerSchema(path, known);
  if (known === SCHEMA_VERSION) return undefined; // The common case takes no write lock.
  let from: number | undefined;
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
            from ??= version;
            db.exec(step);
            db.pragma(`user_version = ${version + 1}`);
            return version + 1 === SCHEMA_VERSION;
          })
          .immediate(),
      retry,
    );
    if (done) return from === undefined ? undefined : { from, to: SCHEMA_VERSION };
  }
}

export function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** `library`: the library's reader (index.ts): the promptctl to upgrade is the application's dependency, and it reads no .promptrc.yaml. */
export function newerSchema(path: string, version: number, library = false): UnavailableError {
  return new UnavailableError({
    message: `registry was written by a newer promptctl (schema ${version} > ${SCHEMA_VERSION})`,
    why: `${path} uses schema version ${version}; this promptctl understands up to ${SCHEMA_VERSION}`,
    hint: library
      ? "upgrade the application's promptctl dependency to the version that wrote this registry (npm install promptctl@latest in the application's project), or pass openRegistry the path of another registry"
      : 'upgrade promptctl to the version that wrote this registry (npm install -g promptctl@latest), or point registry.path in .promptrc.yaml at another file',
  });
}
