import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, makeProject, registryPath } from '../support/project.js';

/**
 * Another program holds the SQLite registry in exclusive locking mode (the sqlite3 shell, or a
 * connection with `PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE`, here the test's, kept until the
 * command has failed): a command that only reads it gives up after SQLite's busy wait (10 s) with
 * exit 3 in the writers' words, the registry stayed locked by another process and what to look
 * for. Before, it said `database is locked` and told the user to check that the file is a promptctl
 * registry and readable. The lock is held throughout, so no timing decides the outcome.
 */

afterEach(() => cleanupTempDirs());

describe('a SQLite registry another program holds in exclusive locking mode', () => {
  it('status: exit 3, the registry stayed locked by another process, not "check that it is a registry"', async () => {
    const dir = makeProject();
    const made = openSqliteRegistry({ path: registryPath(dir) });
    await made.listEvents();
    await made.close();
    const holder = new Database(registryPath(dir));
    try {
      holder.pragma('locking_mode = EXCLUSIVE');
      holder.exec('BEGIN EXCLUSIVE');
      const r = await runCliInProcess(['status'], { cwd: dir });
      expect(r.code, r.output).toBe(3);
      expect(r.output).toContain(`the registry at ${registryPath(dir)} stayed locked by another process while opening it`);
      expect(r.output).toMatch(/another program \(the sqlite3 shell, a backup, a database viewer\) inside a transaction or in exclusive locking mode/);
      expect(r.output).toMatch(/hint: wait for the other promptctl command .* check that no other program keeps the registry file open in a transaction/);
      expect(r.output).not.toMatch(/is a promptctl registry and readable|database is locked/);
    } finally {
      holder.close();
    }
  }, 30_000);
});
