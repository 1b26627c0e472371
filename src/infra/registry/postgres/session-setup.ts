import type { ClientBase } from 'pg';
import { UnavailableError } from '../../../core/errors.js';
import { boundLockWaitColumn } from './lock-wait.js';
import { otherSchemaFault } from './search-path.js';
import type { PgTarget } from './pg-target.js';
import { migrationsTable } from './migrate.js';

/**
 * The first query of every server session promptctl opens (connection.ts), one round trip: what is
 * checked before anything is read or written (the server's version, the schema statements resolve
 * to, whether that schema has its migrations table) and what the session sets for itself: a lock
 * wait's bound where the server sets none, and floats printed exactly.
 */

/** The oldest server the schema and its SQL need (EXECUTE FUNCTION, generated identity columns, ...). */
export const MIN_SERVER_VERSION = 130000;

export interface SessionFacts {
  /** server_version_num, and server_version as people read it. */
  v: string;
  shown: string;
  /** current_schema(): where unqualified statements resolve; null when no schema on the search path exists or may be used. */
  resolved: string | null;
  role: string;
  database: string;
  /** Whether the session may use the configured schema; null when it does not exist. */
  usable: boolean | null;
  /** Where the schema is usable, whether it has its schema_migrations table (checkSchema's first question); null otherwise. */
  migrated: boolean | null;
  /** When the read lock wait was bounded: whether the administrator sets no lock_timeout (lock-wait.ts). */
  unbounded?: boolean;
}

/**
 * Doubles (samples' and cached answers' latency_ms) as the shortest text that reads back to the
 * same value, whatever the role or database sets: at extra_float_digits -12 or lower the server
 * prints 123.456 as "1e+02", and a tested mark hashed the rounded samples (core/sample-digest.ts),
 * which then failed `audit verify` for good. 1 is PostgreSQL's own default since 12 (any value
 * above 0 is exact there); writes send numbers as text, which the server reads exactly.
 */
const EXACT_FLOATS = "set_config('extra_float_digits', '1', false) AS floats";

/** Runs the session's first query: its facts, and its read lock wait bounded at `readLockWaitMs` (lock-wait.ts) when given. */
export async function setUpSession(client: ClientBase, schema: string, readLockWaitMs: number | undefined): Promise<SessionFacts> {
  // The administrator's lock_timeout read once (lt), for the read bound and for the session's write transactions.
  const bound = readLockWaitMs === undefined ? '' : `, ${boundLockWaitColumn(readLockWaitMs, false, 'lt.reset_val')}, lt.reset_val = '0' AS unbounded`;
  const from = readLockWaitMs === undefined ? '' : ` FROM (SELECT reset_val FROM pg_settings WHERE name = 'lock_timeout') AS lt`;
  const { rows } = await client.query<SessionFacts>(
    `SELECT current_setting('server_version_num') AS v, current_setting('server_version') AS shown,
            current_schema() AS resolved, current_user AS role, current_database() AS database,
            (SELECT has_schema_privilege(oid, 'USAGE') FROM pg_namespace WHERE nspname = $1) AS usable,
            CASE WHEN (SELECT has_schema_privilege(oid, 'USAGE') FROM pg_namespace WHERE nspname = $1) THEN to_regclass($2) IS NOT NULL END AS migrated,
            ${EXACT_FLOATS}${bound}${from}`,
    [schema, migrationsTable(schema)],
  );
  return rows[0]!;
}

/** A server older than MIN_SERVER_VERSION: exit 3. */
export function requireServerVersion(facts: SessionFacts, target: Pick<PgTarget, 'display'>): void {
  if (Number(facts.v) >= MIN_SERVER_VERSION) return;
  throw new UnavailableError({
    message: `the PostgreSQL server of the registry at ${target.display} is too old (${facts.shown})`,
    why: 'promptctl needs PostgreSQL 13 or newer',
    hint: 'point registry.url (or PROMPTCTL_REGISTRY_URL) at a PostgreSQL 13+ server, or keep the SQLite registry (registry.path)',
  });
}

/**
 * The configured schema exists and may be used, but the session's statements would resolve to
 * another: its search path is not the one promptctl set (search-path.ts). A schema that does not
 * exist is left to checkSchema (run `registry migrate`), one the role may not use to the server's
 * own refusal (permission denied).
 */
export function requireResolvedSchema(facts: SessionFacts, target: Pick<PgTarget, 'display' | 'schema'> & { library?: boolean }): void {
  if (facts.usable !== true || facts.resolved === target.schema) return;
  throw otherSchemaFault({ where: target.display, schema: target.schema, resolved: facts.resolved, role: facts.role, database: facts.database, library: target.library });
}
