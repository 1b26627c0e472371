import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { cleanupTempDirs, makeTempDir } from '../support/project.js';
import { refusal } from '../support/refusal.js';

/**
 * Another program holds the SQLite registry in exclusive locking mode (the sqlite3 shell, or a
 * connection with `PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE`, here the test's, kept until the
 * call has failed): opening it, to read or to write, gives up after the busy wait (10 s in a command;
 * 50 ms here, through the same option) with exit 3 in the writers' words: the registry stayed locked
 * by another process, and what to look for. Before, it said `database is locked` and told the user
 * to check that the file is a promptctl registry and readable. The lock is held throughout, so no
 * timing decides the outcome.
 */

afterEach(() => cleanupTempDirs());

describe('a SQLite registry another program holds in exclusive locking mode', () => {
  it.each([
    ['a reader', true],
    ['a writer', false],
  ])('%s: exit 3, the registry stayed locked by another process, not "check that it is a registry"', async (_who, readonly) => {
    const path = `${makeTempDir()}/registry.db`;
    const made = openSqliteRegistry({ path });
    await made.listEvents();
    await made.close();
    const holder = new Database(path);
    try {
      holder.pragma('locking_mode = EXCLUSIVE');
      holder.exec('BEGIN EXCLUSIVE');
      // Opening fails, or the first call does: either way, the same error.
      const e = await refusal(
        (async () => {
          const blocked = openSqliteRegistry({ path, readonly, busyTimeoutMs: 50 });
          try {
            await blocked.listEvents();
          } finally {
            await blocked.close().catch(() => {});
          }
        })(),
      );
      expect(e.exitCode).toBe(3);
      expect(e.message).toBe(`the registry at ${path} stayed locked by another process while opening it`);
      expect(e.why).toMatch(/another program \(the sqlite3 shell, a backup, a database viewer\) inside a transaction or in exclusive locking mode/);
      expect(e.hint).toMatch(/wait for the other promptctl command .* check that no other program keeps the registry file open in a transaction/);
      expect(`${e.message} ${e.why} ${e.hint}`).not.toMatch(/is a promptctl registry and readable|database is locked/);
    } finally {
      holder.close();
    }
  });
});
