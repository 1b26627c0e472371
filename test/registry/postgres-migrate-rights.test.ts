import { beforeAll, describe, expect, it } from 'vitest';
import type { UnavailableError } from '../../src/core/errors.js';
import { PG_SCHEMA_VERSION } from '../../src/infra/registry/postgres/migrations.js';
import { roleNames, rolesSql } from '../../src/infra/registry/postgres/roles.js';
import { migrateProjectRegistry } from '../../src/infra/registry-admin.js';
import { postgresAvailable, startPostgres, type PgCluster } from '../support/postgres.js';

/**
 * `registry migrate` by a role that is not the registry's owner, on a real PostgreSQL with a
 * non-superuser owner. CREATE SCHEMA IF NOT EXISTS and CREATE TABLE IF NOT EXISTS need privileges
 * even when there is nothing to create, so such a role failed even on an up-to-date schema: as
 * "permission denied for database", or, with CREATE on the database, as "the registry has no
 * promptctl schema" about a schema that was there. Now an up-to-date schema is up to date whoever
 * asks, and a change the role may not make names whose it is, before anything is changed.
 */

const pgOk = postgresAvailable();
let cluster: PgCluster;
beforeAll(async () => {
  if (pgOk) cluster = await startPostgres();
});

const migrateAs = (url: string, password: string) =>
  migrateProjectRegistry({ root: '/', config: { registry: { path: 'x', schema: 'promptctl', url } } as never }, { env: { PGPASSWORD: password }, clock: { date: () => new Date() } });

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as UnavailableError);

describe.runIf(pgOk)('registry migrate by a role that does not own the registry', () => {
  it('is up to date for any role when nothing is to change; behind, it names the owner and changes nothing', async () => {
    const db = await cluster.createDatabase();
    const owner = `${db}_owner`;
    await cluster.query(`CREATE ROLE ${owner} LOGIN PASSWORD 'pw-owner'`);
    await cluster.query(`GRANT CREATE ON DATABASE ${db} TO ${owner}`);
    const at = (role: string) => `postgres://${role}@127.0.0.1:${cluster.port}/${db}`;
    expect(await migrateAs(at(owner), 'pw-owner')).toMatchObject({ from: 0, to: PG_SCHEMA_VERSION });

    const prefix = `${db}_`;
    await cluster.query(rolesSql('promptctl', roleNames(prefix)), [], db);
    await cluster.query(`CREATE ROLE ${db}_ci LOGIN PASSWORD 'pw-ci' IN ROLE ${prefix}evaluator`);
    // A release manager's role that may also create schemas in the database (another team's registry).
    await cluster.query(`CREATE ROLE ${db}_rm LOGIN PASSWORD 'pw-rm' IN ROLE ${prefix}deployer`);
    await cluster.query(`GRANT CREATE ON DATABASE ${db} TO ${db}_rm`);

    expect(await migrateAs(at(`${db}_ci`), 'pw-ci')).toMatchObject({ from: PG_SCHEMA_VERSION, to: PG_SCHEMA_VERSION });
    expect(await migrateAs(at(`${db}_rm`), 'pw-rm')).toMatchObject({ from: PG_SCHEMA_VERSION, to: PG_SCHEMA_VERSION });

    // A schema an older promptctl left (its last step not applied).
    await cluster.query(`DELETE FROM promptctl.schema_migrations WHERE version = ${PG_SCHEMA_VERSION}`, [], db);
    for (const [role, password] of [[`${db}_ci`, 'pw-ci'], [`${db}_rm`, 'pw-rm']] as const) {
      const err = await failure(migrateAs(at(role), password));
      expect(err).toMatchObject({ exitCode: 3, message: `only the owner of the registry's tables (role "${owner}") can migrate the registry at ${at(role)}` });
      expect(err?.why).toContain(`the schema is at version ${PG_SCHEMA_VERSION - 1} and this promptctl needs ${PG_SCHEMA_VERSION}`);
      expect(err?.hint).toContain(`with the credentials of "${owner}"`);
    }
    const versions = await cluster.query<{ v: number }>('SELECT max(version) AS v FROM promptctl.schema_migrations', [], db);
    expect(versions[0]!.v).toBe(PG_SCHEMA_VERSION - 1);
    // Nothing changed (the owner's own upgrade of an older schema is the older-schema and migrate-path tests' matter).
    await cluster.query(`INSERT INTO promptctl.schema_migrations VALUES (${PG_SCHEMA_VERSION}, 'x')`, [], db);
    expect(await migrateAs(at(owner), 'pw-owner')).toMatchObject({ from: PG_SCHEMA_VERSION, to: PG_SCHEMA_VERSION });
  });

  it('a database with no registry yet: a role that may not create a schema is told it needs CREATE on the database', async () => {
    const db = await cluster.createDatabase();
    const role = `${db}_app`;
    await cluster.query(`CREATE ROLE ${role} LOGIN PASSWORD 'pw-app'`);
    const url = `postgres://${role}@127.0.0.1:${cluster.port}/${db}`;
    const err = await failure(migrateAs(url, 'pw-app'));
    expect(err).toMatchObject({ exitCode: 3, message: `this role may not create schema "promptctl" in the database of the registry at ${url}` });
    expect(err?.hint).toContain('GRANT CREATE ON DATABASE');
    expect(await cluster.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'promptctl'`, [], db)).toHaveLength(0);
  });
});
