import type { ClientBase } from 'pg';
import { UnavailableError } from '../../../core/errors.js';
import { afterTheFix } from './fault-hints.js';
import type { ClientNotes } from './faults.js';
import { boundLockWaitSql, lastWait } from './lock-wait.js';
import { takeTransactionTurn } from './turns.js';
import { missingTablesFault } from './missing-tables.js';
import { missingFromSchema, schemaDamageFault } from './schema-columns.js';
import { takenNamesFault } from './migrate-conflicts.js';
import { migrateRights, refusedMigration } from './migrate-rights.js';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from './migrations.js';

/**
 * Bringing a registry schema to this build's version (`promptctl registry migrate`, as the schema
 * owner), and the check every other command makes first. Migrating is one transaction under a
 * transaction-level advisory lock, so two processes that start at once apply each step once: the
 * second waits, then finds nothing left to do.
 */

const quote = (schema: string) => `"${schema}"`;

/** The table where `schema` records its version, as to_regclass reads it. */
export const migrationsTable = (schema: string) => `${quote(schema)}.schema_migrations`;

/**
 * The schema version recorded in `schema`, 0 when it has none (or no schema at all). `migrated`:
 * whether the table is there, when the session's first query already asked (session-setup.ts),
 * which saves every command a round trip; null or undefined, it is asked here.
 */
export async function schemaVersion(client: ClientBase, schema: string, migrated?: boolean | null): Promise<number> {
  if (migrated === false) return 0;
  if (migrated !== true) {
    const { rows } = await client.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [migrationsTable(schema)]);
    if (!rows[0]?.present) return 0;
  }
  const version = await client.query<{ v: number | null }>(`SELECT max(version) AS v FROM ${quote(schema)}.schema_migrations`);
  return version.rows[0]?.v ?? 0;
}

/**
 * Refuses (exit 3, naming the command to run) a schema this build does not know; with `columns` (a
 * writer's first session), also one at this version that lacks a table or column the migrations
 * made (schema-columns.ts), before anything is written.
 */
export async function checkSchema(client: ClientBase, target: { schema: string; display: string; migrateCommand?: string; library?: boolean }, migrated?: boolean | null, columns = false): Promise<void> {
  const version = await schemaVersion(client, target.schema, migrated);
  if (version === PG_SCHEMA_VERSION) {
    const damaged = columns ? schemaDamageFault({ where: target.display, schema: { name: target.schema, version } }, await missingFromSchema(client, target.schema)) : undefined;
    if (damaged) throw damaged;
    return;
  }
  if (version > PG_SCHEMA_VERSION) throw newerSchema(target, version);
  throw new UnavailableError({
    message: version === 0
      ? `the registry at ${target.display} has no promptctl schema "${target.schema}" yet`
      : `the registry at ${target.display} uses schema version ${version}; this promptctl needs ${PG_SCHEMA_VERSION}`,
    why: 'on PostgreSQL, only `promptctl registry migrate` creates or upgrades the schema, as its owner: other roles must not change it',
    // Plain `registry migrate` migrates the project's configured registry: a URL named otherwise (--to, the library) is named in the command.
    // ... and `registry migrate` takes its schema from registry.schema only, so another schema is named.
    hint: `run \`${target.migrateCommand ?? 'promptctl registry migrate'}\` once (as the schema owner${target.migrateCommand && target.schema !== 'promptctl' ? `, in a project whose .promptrc.yaml sets registry.schema: ${target.schema}` : ''}); ${afterTheFix(target.library)}`,
  });
}

/** For the library's reader (`library`), the promptctl to upgrade is its application's dependency, not a global install. */
function newerSchema(target: { schema: string; display: string; library?: boolean }, version: number): UnavailableError {
  return new UnavailableError({
    message: `the registry at ${target.display} was written by a newer promptctl (schema ${version} > ${PG_SCHEMA_VERSION})`,
    why: `schema "${target.schema}" is at version ${version}; this promptctl understands up to ${PG_SCHEMA_VERSION}`,
    hint: target.library
      ? "upgrade the application's promptctl dependency to the version that migrated this registry (npm install promptctl@latest in the application's project)"
      : 'upgrade promptctl to the version that migrated this registry (npm install -g promptctl@latest)',
  });
}

export interface MigrateOutcome {
  from: number;
  to: number;
}

/**
 * How long a migration's statements wait for a table another session uses, where the server sets no
 * lock_timeout: while it waits, every other session's statement on that table queues behind it, so
 * it gives up soon, naming the session (connection.ts), and is run again. Waiting for another
 * migration's turn is bounded apart (MIGRATE_TURN_WAIT_MS).
 */
export const MIGRATE_LOCK_WAIT_MS = 10_000;

/**
 * How long a migration waits for another migration of the schema to finish, where the server sets
 * no lock_timeout: most of the 2 minutes a command waits for an answer (the caller cuts it to end
 * before a shorter query_timeout in the URL: PgConnection.underAnswer). Then it exits 3 naming that
 * session, instead of the answer timeout ending the wait and blaming the network.
 */
export const MIGRATE_TURN_WAIT_MS = 90_000;

export async function migrateSchema(
  client: ClientBase,
  target: { schema: string; display: string },
  at: string,
  opts: { lockWaitMs?: number; turnWaitMs?: number; notes?: ClientNotes } = {},
): Promise<MigrateOutcome> {
  const schema = quote(target.schema);
  await client.query('BEGIN');
  try {
    // Its turn: a second migration of the schema waits, then finds nothing left to do.
    await takeTransactionTurn(client, {
      keys: ['promptctl registry migrate', target.schema],
      waitMs: opts.turnWaitMs ?? MIGRATE_TURN_WAIT_MS,
      whose: `another \`promptctl registry migrate\` of schema "${target.schema}"`,
      where: target.display,
      why: 'migrations of one schema take turns, so that each step is applied once',
      again: 'run `promptctl registry migrate` again (it applies only the steps left)',
    });
    const bounded = await client.query(boundLockWaitSql(opts.lockWaitMs ?? MIGRATE_LOCK_WAIT_MS, true));
    if (opts.notes) opts.notes.lockWait = lastWait(bounded);
    // Asked of the catalog before any DDL: an up-to-date schema needs nothing (whichever role asks),
    // and a role that may not make the change is told whose it is (migrate-rights.ts).
    const rights = await migrateRights(client, target.schema);
    const from = rights.schemaOwner === null ? 0 : await schemaVersion(client, target.schema);
    if (from > PG_SCHEMA_VERSION) throw newerSchema(target, from);
    const refused = refusedMigration(target, rights, from);
    if (refused) throw refused;
    // Another application's tables under the names the steps create (migrate-conflicts.ts).
    const taken = from < PG_SCHEMA_VERSION ? await takenNamesFault(client, target, from) : undefined;
    if (taken) throw taken;
    if (from < PG_SCHEMA_VERSION) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(`SET LOCAL search_path TO ${schema}`);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    }
    for (let version = from + 1; version <= PG_SCHEMA_VERSION; version++) {
      await client.query(PG_MIGRATIONS[version - 1]!);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version, at]);
    }
    // "Up to date" only when it is: a table dropped from a schema at this version is no step to apply.
    // The tables of the one list a writer checks at open (schema-columns.ts), by the same query.
    const missing = [...new Set((await missingFromSchema(client, target.schema)).filter((m) => m.table).map((m) => m.t))];
    if (missing.length) throw missingTablesFault({ where: target.display, schema: { name: target.schema, version: PG_SCHEMA_VERSION } }, missing);
    await client.query('COMMIT');
    return { from, to: PG_SCHEMA_VERSION };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
}
