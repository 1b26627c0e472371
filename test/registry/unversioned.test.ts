import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/core/errors.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { fileSha256 as sha, makeTempDir, userVersion } from './harness.js';

/**
 * A SQLite file at the registry's path without promptctl's schema version (user_version 0) is
 * never taken as a new registry (a new one is linked into place with its schema): readers and
 * writers refuse it (exit 3) and write nothing into it.
 */

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());


describe('a SQLite file without a schema version', () => {
  const refused = (file: string, readonly: boolean): UnavailableError => {
    try {
      openSqliteRegistry({ path: file, readonly });
    } catch (err) {
      expect(err).toBeInstanceOf(UnavailableError);
      return err as UnavailableError;
    }
    throw new Error('expected a refusal');
  };

  it('with no tables (a WAL registry copied without its -wal) is refused by readers and writers, and left as it is', () => {
    const file = join(tmp.dir, 'registry.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.close();
    const before = sha(file);
    for (const readonly of [true, false]) {
      const err = refused(file, readonly);
      expect(err.exitCode).toBe(3);
      expect(err.message).toBe(`the registry at ${file} holds no schema (a SQLite file with no tables)`);
      expect(err.why).toMatch(/without its .*-wal file/);
      expect(err.hint).toMatch(/backup/);
    }
    expect(sha(file)).toBe(before);
    expect(userVersion(file)).toBe(0);
  });

  it("with tables (another program's database) is refused, and nothing is written into it", () => {
    const file = join(tmp.dir, 'other.db');
    const db = new Database(file);
    db.exec('CREATE TABLE notes (body TEXT)');
    db.close();
    for (const readonly of [true, false]) expect(refused(file, readonly).message).toBe(`${file} is a SQLite database but not a promptctl registry`);
    const check = new Database(file, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all()).toEqual(['notes']);
    check.close();
  });
});
