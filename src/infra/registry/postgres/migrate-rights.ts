import type { ClientBase } from 'pg';
import { UnavailableError } from '../../../core/errors.js';
import { PG_SCHEMA_VERSION } from './migrations.js';

/**
 * Whether this session's role may migrate the registry's schema, asked of the catalog before any
 * DDL (migrate.ts): CREATE SCHEMA IF NOT EXISTS and CREATE TABLE IF NOT EXISTS need privileges even
 * when there is nothing to create, so a role other than the owner failed even on an up-to-date
 * schema, as "permission denied for database" or, with CREATE on the database, "has no promptctl
 * schema: no schema has been selected to create in" about a schema that was there.
 */

export interface MigrateRights {
  /** The schema's owner; null when there is no such schema. */
  schemaOwner: string | null;
  /** Whether this role may create tables in the schema (null: no schema). */
  createInSchema: boolean | null;
  /** The owner of the schema's tables (schema_migrations'; the role that ran `registry migrate`); null before the first migration. */
  tablesOwner: string | null;
  /** Whether this role is that owner or a member of it: later steps alter those tables. */
  ownsTables: boolean | null;
  /** Whether this role may create a schema in the database. */
  createSchema: boolean;
}

export async function migrateRights(client: ClientBase, schema: string): Promise<MigrateRights> {
  const { rows } = await client.query<{ schema_owner: string | null; create_in_schema: boolean | null; tables_owner: string | null; owns_tables: boolean | null; create_schema: boolean }>(
    `SELECT pg_get_userbyid(n.nspowner) AS schema_owner, has_schema_privilege(n.oid, 'CREATE') AS create_in_schema,
            pg_get_userbyid(c.relowner) AS tables_owner, pg_has_role(c.relowner, 'MEMBER') AS owns_tables,
            has_database_privilege(current_database(), 'CREATE') AS create_schema
       FROM (SELECT 1) AS one
       LEFT JOIN pg_namespace n ON n.nspname = $1
       LEFT JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = 'schema_migrations'`,
    [schema],
  );
  const r = rows[0]!;
  return { schemaOwner: r.schema_owner, createInSchema: r.create_in_schema, tablesOwner: r.tables_owner, ownsTables: r.owns_tables, createSchema: r.create_schema };
}

const ROLES_NOTE = 'the reader, evaluator and deployer roles (`promptctl registry roles`) never migrate';

/** Why this role may not bring the schema from `version` to this build's, or undefined when it may (or nothing is to change). */
export function refusedMigration(target: { schema: string; display: string }, r: MigrateRights, version: number): UnavailableError | undefined {
  if (version >= PG_SCHEMA_VERSION) return undefined;
  const steps = `the schema is at version ${version} and this promptctl needs ${PG_SCHEMA_VERSION}`;
  if (r.tablesOwner !== null) {
    if (r.ownsTables) return undefined;
    return new UnavailableError({
      message: `only the owner of the registry's tables (role "${r.tablesOwner}") can migrate the registry at ${target.display}`,
      why: `${steps}; its steps change tables that "${r.tablesOwner}" owns (it ran \`registry migrate\` first), and this role is neither it nor a member of it: nothing was changed`,
      hint: `run \`promptctl registry migrate\` with the credentials of "${r.tablesOwner}" (${ROLES_NOTE}), then run the other commands again`,
    });
  }
  if (r.schemaOwner !== null) {
    if (r.createInSchema) return undefined;
    return new UnavailableError({
      message: `this role may not create the registry's tables in schema "${target.schema}" (owned by "${r.schemaOwner}") at ${target.display}`,
      why: `${steps}; creating its tables takes the CREATE privilege on the schema: nothing was changed`,
      hint: `run \`promptctl registry migrate\` as "${r.schemaOwner}", the role that is to own the registry (${ROLES_NOTE}), or have it grant CREATE ON SCHEMA "${target.schema}" to that role`,
    });
  }
  if (r.createSchema) return undefined;
  return new UnavailableError({
    message: `this role may not create schema "${target.schema}" in the database of the registry at ${target.display}`,
    why: 'the database has no promptctl schema yet, and creating one takes the CREATE privilege on the database: nothing was changed',
    hint: `run \`promptctl registry migrate\` as the role that is to own the registry (${ROLES_NOTE}), after an administrator grants it: GRANT CREATE ON DATABASE <database> TO <role>`,
  });
}
