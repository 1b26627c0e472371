import { GateError, UnavailableError } from '../../../core/errors.js';
import type { Copied } from '../push-outcome.js';
import type { Row } from '../sqlite-export.js';
import { inTransaction, rows, type Session } from './session.js';

/**
 * Raw copies into a PostgreSQL registry, for `promptctl registry push` only (not part of the
 * `Registry` interface): rows are inserted with the columns and the exact text they had in the
 * local SQLite file, so hashes, timestamps and the audit chain stay byte for byte what they were.
 * Every function is idempotent (a row already there is counted, never written twice) and writes
 * one transaction per call, so an interrupted push run again completes.
 */

export type { Copied };

export type ColumnTypes = Map<string, string>;

/**
 * What a push does to each table, privilege by privilege (has_table_privilege with a list is true
 * when ANY of them is held, so each is asked alone). The log's tables only when the log is pushed.
 */
const RECORD_PRIVILEGES: ReadonlyArray<[table: string, privileges: string[]]> = [
  ['prompt_versions', ['SELECT', 'INSERT', 'UPDATE']],
  ['superseded_versions', ['SELECT', 'INSERT']],
  ['runs', ['SELECT', 'INSERT', 'UPDATE']],
  ['samples', ['SELECT', 'INSERT']],
  ['response_cache', ['SELECT', 'INSERT']],
  // Read even with --skip-events: the target's log decides what is pushed, and a replaced draft must be named by no event.
  ['events', ['SELECT']],
];
const LOG_PRIVILEGES: ReadonlyArray<[table: string, privileges: string[]]> = [
  ['events', ['INSERT']],
  ['chain_head', ['SELECT', 'INSERT', 'UPDATE']],
];

/**
 * Refuses (exit 3) before the first write a role that could not complete the push: every missing
 * privilege is named, and row-level security on events (it limits every role but the owner's: the
 * evaluator may append no deploy) when the log is pushed. Without it a deployer's push wrote the
 * versions, then stopped at runs.
 */
export async function requirePushPrivileges(s: Session, opts: { events: boolean }): Promise<void> {
  const wanted = [...RECORD_PRIVILEGES, ...(opts.events ? LOG_PRIVILEGES : [])].flatMap(([table, privileges]) => privileges.map((p) => [table, p] as const));
  const found = await rows<{ ok: boolean }>(
    s,
    `SELECT has_table_privilege(format('%I.%I', $1::text, t), p) AS ok FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS x(t, p, i) ORDER BY i`,
    [s.schema, wanted.map(([t]) => t), wanted.map(([, p]) => p)],
  );
  const missing = wanted.flatMap(([table, privilege], i) => (found[i]?.ok ? [] : [`${privilege} on ${table}`]));
  const [{ rls } = { rls: false }] = opts.events ? await rows<{ rls: boolean }>(s, `SELECT row_security_active(format('%I.%I', $1::text, 'events')) AS rls`, [s.schema]) : [];
  if (!missing.length && !rls) return;
  const [{ role } = { role: 'this role' }] = await rows<{ role: string }>(s, 'SELECT current_user AS role');
  const lacks = [...(missing.length ? [`lacks ${missing.join(', ')}`] : []), ...(rls ? ['is held to row-level security on events (it may not append every event of another log)'] : [])];
  throw new UnavailableError({
    message: `registry push needs the schema owner: the PostgreSQL role ${role} of the registry at ${s.where} ${lacks.join(', and ')}; nothing was written`,
    why: 'registry push writes every kind of record (versions, runs, samples, cached answers and the audit log), so it needs the schema owner (or a role with its rights); the reader, evaluator and deployer roles each hold only part of them',
    hint: 'run registry push with the URL of the role that owns the schema (the one that ran `promptctl registry migrate`)',
  });
}

/** The target table's columns and their types (events may gain columns: copied generically). */
export async function tableColumns(s: Session, table: string): Promise<ColumnTypes> {
  // pg_catalog, not information_schema: information_schema lists only the columns this role may
  // use; the permissions were checked first (requirePushPrivileges).
  const found = await rows<{ column_name: string; data_type: string }>(
    s,
    `SELECT a.attname AS column_name, format_type(a.atttypid, NULL) AS data_type
       FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [s.schema, table],
  );
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
export async function eventHashes(s: Session): Promise<TargetEvent[]> {
  const found = await rows<{ seq: string; hash: string; signature: string | null }>(s, 'SELECT seq, hash, signature FROM events ORDER BY seq');
  return found.map((r) => ({ seq: Number(r.seq), hash: r.hash, signature: r.signature }));
}

/** What a push compares of the target's log: each event's hash, and its signature (beside the hash). */
export interface TargetEvent {
  seq: number;
  hash: string;
  signature?: string | null;
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
