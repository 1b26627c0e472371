import type Database from 'better-sqlite3';
import { UnavailableError } from '../../core/errors.js';
import { MIGRATIONS, READABLE_FROM, SCHEMA_VERSION } from './migrations.js';
import { openSqlite } from './sqlite-driver.js';

/**
 * Reading a registry written by an older promptctl without upgrading it. A reader never migrates:
 * it would write into a file the user only looked at, every older promptctl would then refuse the
 * file ("written by a newer promptctl"), and a file on a read-only medium cannot be upgraded at all.
 *
 * Every step from READABLE_FROM on only adds tables and nullable columns (migrations.ts; a test
 * holds each step to it), so what the current queries would find in the upgraded file is known
 * without upgrading it: the added tables are empty, the added columns NULL. That is what this
 * presents, on the reader's own connection and in its TEMP schema, which SQLite searches before
 * the file's: an empty TEMP table for each table the file lacks, and for each table that lacks
 * columns a TEMP view of it with NULL in their place. Nothing is copied (the views read the file's
 * rows through its indexes) and nothing is written to the file.
 */

type Column = { name: string; type: string; notnull: number; dflt_value: string | null; pk: number };

/** The tables of the current schema and their columns, from the migrations run on an empty in-memory database. */
export function currentTables(migrations: readonly string[] = MIGRATIONS): Map<string, { sql: string; columns: Column[] }> {
  const db = openSqlite(':memory:');
  try {
    for (const step of migrations) db.exec(step);
    return tablesOf(db, 'main');
  } finally {
    db.close();
  }
}

export function tablesOf(db: Database.Database, schema: string): Map<string, { sql: string; columns: Column[] }> {
  const rows = db.prepare<[], { name: string; sql: string }>(`SELECT name, sql FROM ${schema}.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all();
  return new Map(rows.map((r) => [r.name, { sql: r.sql, columns: db.pragma(`${schema}.table_info(${JSON.stringify(r.name)})`) as Column[] }]));
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Makes the reader's connection `db` to the file at `path`, of schema `version` (older than this
 * build's), answer the current schema's queries as the upgraded file would. A file older than
 * READABLE_FROM is refused (exit 3) with the command that upgrades it.
 */
export function presentCurrentSchema(db: Database.Database, path: string, version: number): void {
  if (version < READABLE_FROM) throw needsMigrate(path, version, `schema ${version} predates what this promptctl can read without upgrading it (schema ${READABLE_FROM})`);
  const has = tablesOf(db, 'main');
  const statements: string[] = [];
  for (const [table, want] of currentTables()) {
    const found = has.get(table);
    if (!found) {
      // An empty TEMP table of the same shape: what the migration would have created.
      statements.push(want.sql.replace(/^CREATE TABLE\s+("?)/i, 'CREATE TEMP TABLE $1'));
      continue;
    }
    const names = new Set(found.columns.map((c) => c.name));
    const added = want.columns.filter((c) => !names.has(c.name));
    if (!added.length) continue;
    const nulls = added.map((c) => `${c.dflt_value ?? 'NULL'} AS ${quote(c.name)}`).join(', ');
    const t = quote(table);
    // rowid too: queries order rows by it (samples in the order they were recorded).
    statements.push(`CREATE TEMP VIEW ${t} AS SELECT rowid AS rowid, *, ${nulls} FROM main.${t}`);
    // A view takes no writes; these let the store's write statements be prepared (a read-only store never runs them).
    for (const op of ['INSERT', 'UPDATE', 'DELETE']) {
      statements.push(`CREATE TEMP TRIGGER ${quote(`${table}_read_only_${op.toLowerCase()}`)} INSTEAD OF ${op} ON ${t} BEGIN SELECT RAISE(ABORT, 'the registry is read here without upgrading it: no writes'); END`);
    }
  }
  db.exec(statements.join(';\n'));
}

export function needsMigrate(path: string, version: number, why: string): UnavailableError {
  return new UnavailableError({
    message: `the registry at ${path} was written by an older promptctl (schema ${version} < ${SCHEMA_VERSION}) and must be upgraded before this promptctl can read it`,
    why: `${why}; reading never upgrades a registry (an upgraded file is refused by the promptctl that wrote it).`,
    hint: `run \`promptctl registry migrate\` (or any command that records, such as eval or deploy) with this promptctl; older promptctl releases can no longer open the file afterwards`,
  });
}
