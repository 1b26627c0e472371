import { GateError, UnavailableError } from '../../../core/errors.js';
import type { Row } from '../sqlite-export.js';
import { inTransaction, rows, type Session } from './session.js';

/**
 * Raw copies into a PostgreSQL registry, for `promptctl registry push` only (not part of the
 * `Registry` interface): rows are inserted with the columns and the exact text they had in the
 * local SQLite file, so hashes, timestamps and the audit chain stay byte for byte what they were.
 * Every function is idempotent (a row already there is counted, never written twice) and writes
 * one transaction per call, so an interrupted push run again completes.
 */

export interface Copied {
  pushed: number;
  already: number;
}

export type ColumnTypes = Map<string, string>;

/** The target table's columns and their types (events may gain columns: copied generically). */
export async function tableColumns(s: Session, table: string): Promise<ColumnTypes> {
  // pg_catalog, not information_schema: information_schema lists only the columns this role may
  // use, so a role without SELECT would see "missing columns" instead of its missing permission.
  const found = await rows<{ column_name: string; data_type: string }>(
    s,
    `SELECT a.attname AS column_name, format_type(a.atttypid, NULL) AS data_type
       FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [s.schema, table],
  );
  // The permission is the real problem: said as PostgreSQL says it, before any copy starts.
  const [{ allowed } = { allowed: true }] = await rows<{ allowed: boolean }>(s, `SELECT has_table_privilege(format('%I.%I', $1::text, $2::text), 'SELECT, INSERT') AS allowed`, [s.schema, table]);
  if (found.length && !allowed) {
    throw new UnavailableError({
      message: `permission denied for table ${table}: this role may not read and write it in the registry at ${s.where}`,
      why: 'registry push writes every kind of record, so it needs the schema owner (or a role with its rights); reader, evaluator and deployer roles each hold only part of them',
      hint: 'run registry push with the URL of the role that owns the schema (the one that ran registry migrate)',
    });
  }
  return new Map(found.map((c) => [c.column_name, c.data_type]));
}

/** The columns to copy: every source column; one the target lacks means its schema cannot hold the data. */
export function copyColumns(table: string, source: string[], target: ColumnTypes, where: string): string[] {
  const missing = source.filter((c) => !target.has(c));
  if (missing.length) {
    throw new UnavailableError({
      message: `the registry at ${where} has no column ${missing.join(', ')} in its ${table} table, which the local registry has`,
      why: 'the two registries were written by different promptctl versions',
      hint: 'upgrade promptctl and run `promptctl registry migrate` on the team registry, then push again',
    });
  }
  return source;
}

/** A value as PostgreSQL takes it: model outputs are BYTEA (their UTF-8 bytes). */
function param(value: unknown, type: string | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'bytea') return Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8');
  return value;
}

/** A value as compared between the two sides: text, whatever the driver returned. */
export function comparable(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  return String(value);
}

/** INSERT ... ON CONFLICT DO NOTHING of `data` in statements of at most ~30k parameters; returns how many were new. */
export async function insertRows(s: Session, table: string, columns: string[], types: ColumnTypes, data: Row[], conflict = 'ON CONFLICT DO NOTHING'): Promise<number> {
  let inserted = 0;
  const perStatement = Math.max(1, Math.floor(30_000 / columns.length));
  for (let i = 0; i < data.length; i += perStatement) {
    const chunk = data.slice(i, i + perStatement);
    const params: unknown[] = [];
    const values = chunk.map((row) => `(${columns.map((c) => `$${params.push(param(row[c], types.get(c)))}`).join(', ')})`);
    const result = await s.client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values.join(', ')} ${conflict}`, params);
    inserted += result.rowCount ?? 0;
  }
  return inserted;
}

/** One batch of rows keyed by a primary key, in its own transaction: new ones inserted, the rest counted. */
export function copyBatch(s: Session, table: string, columns: string[], types: ColumnTypes, data: Row[]): Promise<Copied> {
  return inTransaction(s, async (tx) => {
    const pushed = await insertRows(tx, table, columns, types, data);
    return { pushed, already: data.length - pushed };
  });
}

/** The target's chain as (seq, hash), oldest first. */
export async function eventHashes(s: Session): Promise<Array<{ seq: number; hash: string }>> {
  return (await rows<{ seq: string; hash: string }>(s, 'SELECT seq, hash FROM events ORDER BY seq')).map((r) => ({ seq: Number(r.seq), hash: r.hash }));
}

/**
 * Appends `events` (already chained: their own seq, at, prev_hash and hash) after the target's
 * newest event, which must be `after` (the source's event before them, or none): checked under
 * the chain head's lock, so an append by another process in between refuses instead of forking
 * the chain. The head moves with them, in the same transaction.
 */
export function importEvents(s: Session, columns: string[], types: ColumnTypes, after: { seq: number; hash: string } | null, events: Row[]): Promise<number> {
  if (events.length === 0) return Promise.resolve(0);
  return inTransaction(s, async (tx) => {
    let [head] = await rows<{ seq: string }>(tx, 'SELECT seq FROM chain_head WHERE id = 1 FOR UPDATE');
    if (!head) {
      await tx.client.query('LOCK TABLE chain_head IN EXCLUSIVE MODE');
      [head] = await rows<{ seq: string }>(tx, 'SELECT seq FROM chain_head WHERE id = 1 FOR UPDATE');
    }
    const [newest] = await rows<{ seq: string; hash: string }>(tx, 'SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1');
    const now = newest ? { seq: Number(newest.seq), hash: newest.hash } : null;
    if (now?.seq !== after?.seq || now?.hash !== after?.hash) {
      throw new GateError({
        message: `the audit log of ${tx.where} changed while pushing: its newest event is ${now ? `#${now.seq} sha256:${now.hash.slice(0, 12)}…` : 'none'}, expected ${after ? `#${after.seq}` : 'none'}`,
        why: 'another process appended to the team registry during the push; the local log cannot be appended after an event it does not hold',
        hint: 'run `promptctl registry push` again: it reports where the two logs differ',
      });
    }
    await insertRows(tx, 'events', columns, types, events, '');
    const last = events[events.length - 1]!;
    if (head) await tx.client.query('UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1', [last.seq, last.hash]);
    else await tx.client.query('INSERT INTO chain_head (id, seq, hash) VALUES (1, $1, $2)', [last.seq, last.hash]);
    return events.length;
  });
}
