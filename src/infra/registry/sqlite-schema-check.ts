import type Database from 'better-sqlite3';
import { schemaLacks } from './sqlite-faults.js';

/**
 * The tables and columns promptctl's migrations make (migrations.ts, as of SCHEMA_VERSION).
 * test/registry/schema-columns.test.ts checks this list against a registry the migrations made, so
 * a migration that adds a column fails there until the column is named here too.
 */
export const SCHEMA_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  chain_head: ['id', 'seq', 'hash'],
  events: ['seq', 'env', 'prompt_id', 'version', 'previous_version', 'action', 'actor', 'reason', 'detail', 'at', 'prev_hash', 'hash', 'content_hash', 'signer', 'signature', 'idempotency_key'],
  prompt_versions: ['prompt_id', 'version', 'content_hash', 'content', 'description', 'author', 'created_at'],
  response_cache: ['key', 'output', 'latency_ms', 'tokens_in', 'tokens_out', 'created_at', 'exchange', 'root'],
  run_leases: ['run_id', 'holder', 'acquired_at', 'expires_at'],
  runs: ['id', 'invocation_id', 'inputs_key', 'prompt_id', 'version', 'prompt_hash', 'suite', 'suite_kind', 'suite_hash', 'model', 'server', 'promptctl_version', 'status', 'started_at', 'ended_at', 'summary'],
  samples: ['run_id', 'case_id', 'sample', 'verdict', 'output', 'reasons', 'latency_ms', 'tokens_in', 'tokens_out', 'cached', 'error', 'category', 'leaks', 'exchange'],
  secrets: ['name', 'value', 'created_at'],
  superseded_versions: ['prompt_id', 'version', 'content_hash', 'content', 'description', 'author', 'created_at', 'superseded_at', 'superseded_by'],
  tested_marks: ['prompt_id', 'version', 'content_hash', 'model', 'source', 'suites', 'invocation_id', 'created_at'],
};

/**
 * Refuses (exit 3) a registry whose schema lacks a table or column promptctl made, when a writer
 * opens it: a schema damaged by hand (a dropped column or table, its user_version intact) is then
 * refused before anything is written. Found only where a statement first needed it, an eval had
 * already registered its runs (left "running") when its samples could not be written. One query of
 * SQLite's own catalogue, well under a millisecond.
 */
export function requireSchema(db: Database.Database, path: string): void {
  const found = tableColumns(db);
  for (const [table, columns] of Object.entries(SCHEMA_COLUMNS)) {
    const have = found.get(table);
    if (!have) throw schemaLacks(path, `no table ${table}`);
    const missing = columns.filter((c) => !have.includes(c));
    if (missing.length) throw schemaLacks(path, `table ${table} has no column ${missing.join(', ')}`);
  }
}

/** Every table of the file (SQLite's own sqlite_* tables left out) and its columns in order: one query of SQLite's catalogue. */
export function tableColumns(db: Database.Database): Map<string, string[]> {
  const rows = db.prepare<[], { tbl: string; col: string }>("SELECT m.name AS tbl, p.name AS col FROM sqlite_schema AS m JOIN pragma_table_info(m.name) AS p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY m.name, p.cid").all();
  const found = new Map<string, string[]>();
  for (const { tbl, col } of rows) (found.get(tbl) ?? found.set(tbl, []).get(tbl)!).push(col);
  return found;
}
