import { describe, expect, it } from 'vitest';
import type { UnavailableError } from '../../src/core/errors.js';
import { openPostgresRegistry } from '../../src/infra/registry/postgres/registry.js';
import { PG_SCHEMA_COLUMNS } from '../../src/infra/registry/postgres/schema-columns.js';
import { postgresTarget } from '../../src/infra/registry/target.js';
import { runCliInProcess } from '../support/cli.js';
import { postgresAvailable, postgresAndSimulatorForFile } from '../support/postgres.js';
import { makeSimProject } from '../support/project.js';

/**
 * A team registry whose schema was changed by hand (a column or table dropped, its recorded version
 * left as it was) is refused by a writer at its first session, before anything is written, as
 * SQLite's writer refuses it (schema-columns.test.ts). Found only where a statement first needed
 * it, an eval had registered its run, left "running", when its samples could not be written.
 * A reader (the library's getActive, `status`) still reads what it can.
 */

const pgOk = postgresAvailable();
const live = postgresAndSimulatorForFile();

async function migratedProject(): Promise<{ dir: string; env: Record<string, string>; database: string }> {
  const dir = makeSimProject(live.sim.url);
  const database = await live.cluster.createDatabase();
  const env = { PROMPTCTL_REGISTRY_URL: live.cluster.url(database, { withPassword: true }) };
  const migrated = await runCliInProcess(['registry', 'migrate'], { cwd: dir, env });
  expect(migrated.code, migrated.output).toBe(0);
  return { dir, env, database };
}

const count = async (database: string, table: string) => Number((await live.cluster.query<{ n: string }>(`SELECT count(*) AS n FROM promptctl.${table}`, [], database))[0]!.n);

describe.runIf(pgOk)('the team registry schema a writer checks at open', { timeout: 120_000 }, () => {
  it('is what the migrations make: every table and column, in PG_SCHEMA_COLUMNS', async () => {
    const { database } = await migratedProject();
    const rows = await live.cluster.query<{ t: string; c: string }>(
      `SELECT c.relname AS t, a.attname AS c FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid
        WHERE n.nspname = 'promptctl' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
      [],
      database,
    );
    const made: Record<string, string[]> = {};
    for (const { t, c } of rows) (made[t] ??= []).push(c);
    expect(Object.keys(made).sort()).toEqual(Object.keys(PG_SCHEMA_COLUMNS).sort());
    for (const [table, columns] of Object.entries(made)) expect(columns.sort(), table).toEqual([...PG_SCHEMA_COLUMNS[table]!].sort());
  });

  it('a dropped column: eval exits 3 naming it and writes nothing; status still reads', async () => {
    const { dir, env, database } = await migratedProject();
    await live.cluster.query('ALTER TABLE promptctl.samples DROP COLUMN category, DROP COLUMN leaks', [], database);
    const evalRun = await runCliInProcess(['eval', 'support-answer@1.1.0'], { cwd: dir, env });
    expect(evalRun.code, evalRun.output).toBe(3);
    expect(evalRun.output).toMatch(/columns category, leaks of table samples \(the eval runs' samples\) are missing from the schema "promptctl" \(version \d+\) of the registry at postgres:\/\//);
    expect(evalRun.output).toMatch(/from a backup/);
    expect(evalRun.output).not.toContain(live.cluster.password);
    expect(await count(database, 'runs')).toBe(0);
    expect(await count(database, 'events')).toBe(0);
    const status = await runCliInProcess(['status'], { cwd: dir, env });
    expect(status.code, status.output).toBe(0);
  });

  it('a dropped table: a writer is refused naming it, a reader still reads', async () => {
    const { database } = await migratedProject();
    await live.cluster.query('DROP TABLE promptctl.run_leases', [], database);
    const target = postgresTarget(live.cluster.url(database), { password: live.cluster.password });
    const writer = openPostgresRegistry({ target });
    const reader = openPostgresRegistry({ target, readonly: true });
    try {
      const refused = await writer.registerVersion({ promptId: 'p', version: '1.0.0', contentHash: 'h', content: 'c', description: '', author: 'a' }).then(() => undefined, (e: unknown) => e as UnavailableError);
      expect(refused).toMatchObject({ exitCode: 3, message: expect.stringMatching(/^table run_leases \(the leases of running evals\) is missing from the schema "promptctl" \(version \d+\)/) });
      expect(await count(database, 'prompt_versions')).toBe(0);
      await expect(reader.listVersions('p')).resolves.toEqual([]);
    } finally {
      await writer.close();
      await reader.close();
    }
  });
});
