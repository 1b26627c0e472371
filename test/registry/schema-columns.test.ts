import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/core/errors.js';
import { registryFault } from '../../src/infra/registry/sqlite-faults.js';
import { openDatabase } from '../../src/infra/registry/sqlite-open.js';
import { SCHEMA_COLUMNS, tableColumns } from '../../src/infra/registry/sqlite-schema-check.js';
import { runCliInProcess } from '../support/cli.js';
import { cleanupTempDirs, dumpRegistry, makeSimProject, registryPath } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * A registry whose schema was changed by hand (a column or table dropped, its schema version left
 * as it was) is refused when a writer opens it, exit 3 naming what is missing, before anything is
 * written. Found only at the first statement needing it, an eval had registered its runs (left
 * "running") and then stopped with exit 70 and a stack trace ("table samples has no column named
 * category"). The list of what the migrations make is checked against the migrations themselves.
 */

const sim = simulatorForFile();
const env = { PROMPTCTL_ACTOR: 'ci@example.com' };
afterAll(() => cleanupTempDirs());

/** A project evaluated once (two finished runs), then `damage` run on its registry by hand. */
async function damaged(damage: string): Promise<string> {
  const dir = makeSimProject(sim.url);
  const first = await runCliInProcess(['eval', 'support-answer@1.1.0'], { cwd: dir, env });
  expect(first.code, first.output).toBe(0);
  const db = new Database(registryPath(dir));
  try {
    db.exec(damage);
  } finally {
    db.close();
  }
  return dir;
}

describe('the schema a writer finds', () => {
  it('is what the migrations make: every table and column of a new registry, in SCHEMA_COLUMNS', () => {
    const db = openDatabase(':memory:', false);
    try {
      const made = Object.fromEntries(tableColumns(db));
      expect(Object.keys(made).sort()).toEqual(Object.keys(SCHEMA_COLUMNS).sort());
      for (const [table, columns] of Object.entries(made)) expect([...columns].sort(), table).toEqual([...SCHEMA_COLUMNS[table]!].sort());
    } finally {
      db.close();
    }
  });

  it.each([
    ['a dropped column', 'ALTER TABLE samples DROP COLUMN category', 'table samples has no column category'],
    ['a dropped table', 'DROP TABLE run_leases', 'no table run_leases'],
  ])('%s: eval refuses at open, exit 3, and writes nothing', async (_, damage, what) => {
    const dir = await damaged(damage);
    const before = dumpRegistry(dir);
    const r = await runCliInProcess(['eval', 'support-answer@1.1.0', '--no-cache'], { cwd: dir, env });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toContain(`is damaged: its schema lacks what promptctl made (${what})`);
    expect(r.stderr).not.toMatch(/hit a bug|at .*\.cjs:\d+/);
    expect(dumpRegistry(dir)).toBe(before);
  });

  it('an INSERT into a column gone since the open is the same exit 3, not a bug', () => {
    const db = new Database(':memory:');
    try {
      db.exec('CREATE TABLE t (a TEXT)');
      const thrown = (() => {
        try {
          db.prepare('INSERT INTO t (a, gone) VALUES (1, 2)');
        } catch (e) {
          return e;
        }
      })();
      expect(String(thrown)).toMatch(/table t has no column named gone/);
      const fault = registryFault(thrown, '/x/registry.db');
      expect(fault).toBeInstanceOf(UnavailableError);
      expect(fault?.message).toBe('the registry at /x/registry.db is damaged: its schema lacks what promptctl made (table t has no column named gone (SQLITE_ERROR))');
    } finally {
      db.close();
    }
  });
});
