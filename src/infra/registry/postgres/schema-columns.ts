import type { ClientBase } from 'pg';
import type { UnavailableError } from '../../../core/errors.js';
import { missingColumnFault, missingTablesFault } from './missing-tables.js';

/**
 * The tables and columns the PostgreSQL migrations make (migrations.ts, as of PG_SCHEMA_VERSION),
 * as sqlite-schema-check.ts lists SQLite's. test/registry/postgres-schema-columns.test.ts checks the
 * list against a schema the migrations made, so a step that adds a column fails there until the
 * column is named here too.
 */
export const PG_SCHEMA_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  schema_migrations: ['version', 'applied_at'],
  prompt_versions: ['prompt_id', 'version', 'content_hash', 'content', 'description', 'author', 'created_at'],
  superseded_versions: ['prompt_id', 'version', 'content_hash', 'content', 'description', 'author', 'created_at', 'superseded_at', 'superseded_by'],
  runs: ['id', 'invocation_id', 'inputs_key', 'prompt_id', 'version', 'prompt_hash', 'suite', 'suite_kind', 'suite_hash', 'model', 'server', 'promptctl_version', 'status', 'started_at', 'ended_at', 'summary', 'written'],
  samples: ['run_id', 'case_id', 'sample', 'verdict', 'output', 'reasons', 'latency_ms', 'tokens_in', 'tokens_out', 'cached', 'error', 'category', 'leaks', 'written', 'exchange'],
  response_cache: ['key', 'output', 'latency_ms', 'tokens_in', 'tokens_out', 'created_at', 'exchange', 'root'],
  secrets: ['name', 'value', 'created_at'],
  events: ['seq', 'env', 'prompt_id', 'version', 'previous_version', 'action', 'actor', 'reason', 'detail', 'content_hash', 'at', 'prev_hash', 'hash', 'signer', 'signature', 'idempotency_key'],
  chain_head: ['id', 'seq', 'hash'],
  run_leases: ['run_id', 'holder', 'acquired_at', 'expires_at'],
};

const PAIRS = Object.entries(PG_SCHEMA_COLUMNS).flatMap(([table, columns]) => columns.map((column) => [table, column] as const));
const TABLES = PAIRS.map(([t]) => t);
const COLUMNS = PAIRS.map(([, c]) => c);

/**
 * The listed tables and columns `schema` lacks, in the list's order: one query of the catalogue
 * (to_regclass and pg_attribute see a table whatever the role may read in it).
 */
export async function missingFromSchema(client: ClientBase, schema: string): Promise<Array<{ t: string; c: string; table: boolean }>> {
  const { rows } = await client.query<{ t: string; c: string; table: boolean }>(
    `SELECT e.t, e.c, to_regclass(format('%I.%I', $3::text, e.t)) IS NULL AS table
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS e(t, c, i)
      WHERE NOT EXISTS (SELECT 1 FROM pg_attribute AS a
                         WHERE a.attrelid = to_regclass(format('%I.%I', $3::text, e.t))
                           AND a.attname = e.c AND a.attnum > 0 AND NOT a.attisdropped)
      ORDER BY e.i`,
    [TABLES, COLUMNS, schema],
  );
  return rows;
}

/**
 * The fault for a writer that found its schema damaged by hand (a table or column dropped or
 * renamed, the recorded version left as it was): exit 3 before anything is written, as SQLite's
 * writer refuses it (sqlite-schema-check.ts). Found only where a statement first needed it, an eval
 * had already registered its runs (left "running") when its samples could not be written.
 */
export function schemaDamageFault(ctx: { where: string; schema: { name: string; version: number } }, missing: ReadonlyArray<{ t: string; c: string; table: boolean }>): UnavailableError | undefined {
  const tables = [...new Set(missing.filter((m) => m.table).map((m) => m.t))];
  if (tables.length) return missingTablesFault(ctx, tables);
  const first = missing[0];
  if (!first) return undefined;
  return missingColumnFault(ctx, missing.filter((m) => m.t === first.t).map((m) => m.c), first.t);
}
