import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';
import { cleanupTempDirs, makeProject } from '../support/project.js';
import { patchConfig } from '../support/registry-cli.js';

/**
 * `registry migrate` into a schema that already holds tables of another application under names the
 * registry's migrations create (`events`, `runs`): the first step failed on PostgreSQL's
 * `relation "events" already exists (42P07)` with a TLS hint (exit 3), and every command then said
 * to run migrate again, which failed the same way. Now it refuses before any change, naming the
 * schema and those tables, and the way out: another registry.schema, or emptying that one.
 */

const pgOk = postgresAvailable();

describe.skipIf(!pgOk)('registry migrate into a schema whose table names are taken', () => {
  let cluster: PgCluster;
  let db: string;
  let cwd: string;

  beforeAll(async () => {
    cluster = await startPostgres();
    db = await cluster.createDatabase();
    await cluster.query('CREATE SCHEMA app; CREATE TABLE app.events (id int); CREATE TABLE app.runs (id int); CREATE TABLE app.orders (id int)', [], db);
    cwd = makeProject();
    patchConfig(cwd, (c) => void (c.registry = { ...c.registry, schema: 'app' }));
  });
  afterAll(() => cleanupTempDirs());

  it('refuses (exit 3) naming the schema and the taken names, with no TLS hint, and changes nothing', async () => {
    const env = { PROMPTCTL_REGISTRY_URL: cluster.url(db, { withPassword: true }) };
    const r = await runCliInProcess(['registry', 'migrate'], { cwd, env });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toContain('schema "app" at');
    expect(r.stderr).toMatch(/already holds tables named events and runs/);
    expect(r.stderr).toMatch(/hint: set registry\.schema in \.promptrc\.yaml to a schema of the registry's own/);
    expect(r.output).not.toMatch(/TLS|sslmode|42P07/);
    const tables = await cluster.query<{ relname: string }>("SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'app' AND c.relkind = 'r' ORDER BY 1", [], db);
    expect(tables.map((t) => t.relname)).toEqual(['events', 'orders', 'runs']);
  });

  it('into another schema of the same database, it migrates; a table of another name is no conflict', async () => {
    await cluster.query('DROP TABLE app.events, app.runs', [], db);
    const r = await runCliInProcess(['registry', 'migrate'], { cwd, env: { PROMPTCTL_REGISTRY_URL: cluster.url(db, { withPassword: true }) } });
    expect(r.code, r.output).toBe(0);
  });
});
