import { asUnavailable, openDatabase } from './sqlite-open.js';

/**
 * A local SQLite registry read as raw rows, for `promptctl registry push`: every column of every
 * row exactly as stored (the hashed text byte for byte), so what lands in PostgreSQL verifies as
 * it did here. Opened read-only (an older file is migrated first, as every reader does).
 */

export type Row = Record<string, unknown>;

export interface PushSource {
  readonly path: string;
  /** The columns `table` has in this file (events may gain columns, e.g. signatures). */
  columns(table: string): string[];
  versions(): Row[];
  supersededVersions(): Row[];
  /** Runs in the order they were written. */
  runs(): Row[];
  /** Runs whose latest time (ended, else started) is after `at` (ISO), in the order they were written: id, prompt, version, suite, prompt hash and times only. */
  runsDatedAfter(at: string): Row[];
  /** One run's samples (every column). */
  samples(runId: string): Row[];
  /** Response-cache rows after `afterKey`, `limit` at a time, by key. */
  cachePage(afterKey: string, limit: number): Row[];
  /** Every event in seq order, every column. */
  events(): Row[];
  close(): void;
}

export function openPushSource(path: string): PushSource {
  const db = openDatabase(path, true);
  const guard = <T>(read: () => T): T => {
    try {
      return read();
    } catch (err) {
      throw asUnavailable(err, path);
    }
  };
  const all = (sql: string, ...params: unknown[]) => guard(() => db.prepare(sql).all(...params) as Row[]);
  return {
    path,
    // Not `rowid`: the view an older file is read through names it (sqlite-older.ts); no table has such a column.
    columns: (table) => guard(() => (db.pragma(`table_info(${JSON.stringify(table)})`) as Array<{ name: string }>).map((c) => c.name).filter((c) => c !== 'rowid')),
    versions: () => all('SELECT * FROM prompt_versions ORDER BY prompt_id, version'),
    supersededVersions: () => all('SELECT * FROM superseded_versions ORDER BY superseded_at, prompt_id, version'),
    runs: () => all('SELECT * FROM runs ORDER BY rowid'),
    runsDatedAfter: (at) => all('SELECT id, prompt_id, version, suite, prompt_hash, started_at, ended_at FROM runs WHERE coalesce(ended_at, started_at) > ? ORDER BY rowid', at),
    samples: (runId) => all('SELECT * FROM samples WHERE run_id = ? ORDER BY rowid', runId),
    cachePage: (afterKey, limit) => all('SELECT * FROM response_cache WHERE key > ? ORDER BY key LIMIT ?', afterKey, limit),
    events: () => all('SELECT * FROM events ORDER BY seq'),
    close: () => db.close(),
  };
}
