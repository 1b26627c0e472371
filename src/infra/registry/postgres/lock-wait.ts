import type { ClientBase } from 'pg';
import { UnavailableError } from '../../../core/errors.js';
import { afterTheFix } from './fault-hints.js';

/**
 * How long promptctl waits for a lock another session holds, and who held it when the wait ran
 * out. PostgreSQL has no bound of its own (lock_timeout 0): a read stuck behind a migration, a
 * backup or a psql session left inside a transaction waited the whole answer timeout (2 min), then
 * blamed the network. An administrator's lock_timeout (for the role or the database, or in the
 * URL's options) is always kept: promptctl only fills in a bound where there is none.
 */

/** SQLSTATE 55P03: a lock wait ended by lock_timeout. */
export const LOCK_NOT_AVAILABLE = '55P03';

/**
 * A read's lock wait when the server sets none (ms): SQLite's busy wait for the same case, and far
 * under the answer timeout. lock_timeout counts only the wait for a lock, never a slow statement.
 */
export const READ_LOCK_WAIT_MS = 10_000;

/**
 * SQL that bounds a lock wait at `ms` for the session (`local` false) or the transaction (`local`
 * true), unless a lock_timeout is already set where the administrator sets it: reset_val is the
 * role's, the database's or the connection options' value, whatever promptctl SET since. Answers
 * the wait in force, as the server shows it ("10s"), as `wait`.
 */
export function boundLockWaitSql(ms: number, local: boolean): string {
  return `SELECT ${boundLockWaitColumn(ms, local)}`;
}

/** The administrator's lock_timeout: the setting's reset_val. pg_settings builds a row for every setting to answer it (about 0.5 ms of server CPU). */
export const ADMIN_LOCK_WAIT = "(SELECT reset_val FROM pg_settings WHERE name = 'lock_timeout')";

/** The same as a column (`wait`) of another SELECT, so a connection's first query sets it in the same round trip; `admin` reads the administrator's setting. */
export function boundLockWaitColumn(ms: number, local: boolean, admin = ADMIN_LOCK_WAIT): string {
  return `CASE ${admin} WHEN '0' THEN ${setLockWait(ms, local)} ELSE current_setting('lock_timeout') END AS wait`;
}

const setLockWait = (ms: number, local: boolean) => `set_config('lock_timeout', '${Math.max(1, Math.round(ms))}', ${local})`;

/**
 * BEGIN for a write transaction on a session whose reads are bounded. Writes wait longer than reads
 * (another writer's turn on the chain head, a push or a migration are worth waiting for): `ms`, just
 * under the answer timeout (timeouts.ts), where the administrator sets no lock_timeout, else the
 * administrator's. So a lock held past it ends as a lock fault naming its holder, not as a
 * statement without an answer blamed on the network. A deploy's or rollback's turn bounds its own
 * (decision-lock.ts).
 */
export function beginWithWriteLockWait(ms: number, serverSetsNone?: boolean): string {
  // What the session's first query found (session-setup.ts) is not asked again of pg_settings at
  // every write transaction: the same answer, bar a configuration reload while the command runs.
  if (serverSetsNone === undefined) return `BEGIN; ${boundLockWaitSql(ms, true)}`;
  return `BEGIN; SELECT ${serverSetsNone ? setLockWait(ms, true) : "current_setting('lock_timeout')"} AS wait`;
}

/** The `wait` column of the last statement of a multi-statement query (pg answers one result per statement). */
export function lastWait(answer: unknown): string | undefined {
  const last = (Array.isArray(answer) ? answer.at(-1) : answer) as { rows?: Array<{ wait?: unknown }> } | undefined;
  const wait = last?.rows?.[0]?.wait;
  return wait === undefined || wait === null ? undefined : String(wait);
}

/** A session that held a lock promptctl waited for, as pg_stat_activity shows it to this role. */
export interface LockHolder {
  pid: number;
  usename: string | null;
  application_name: string | null;
  client: string | null;
  xact_start: Date | null;
  /** For a table lock: its mode and the table (or index). */
  mode?: string;
  relname?: string;
}

/** The strongest first: ACCESS EXCLUSIVE (a migration, LOCK TABLE) blocks every read, ACCESS SHARE only those. */
const MODES = ['AccessExclusiveLock', 'ExclusiveLock', 'ShareRowExclusiveLock', 'ShareLock', 'ShareUpdateExclusiveLock', 'RowExclusiveLock', 'RowShareLock', 'AccessShareLock'];

/**
 * After a lock wait ran out, who holds a lock on a table of the registry's schema. The waiter is no
 * longer waiting, so pg_blocking_pids() names no one: the granted locks of every other session on
 * the schema are asked instead, the strongest and then the oldest transaction first. Asked on the
 * waiter's own connection, outside a transaction; undefined when none is held any more (or the
 * question itself fails: the fault being reported is the lock's).
 */
export async function tableLockHolder(client: ClientBase, schema: string): Promise<LockHolder | undefined> {
  const found = await client
    .query<LockHolder>(
      `SELECT l.pid, a.usename, a.application_name, host(a.client_addr) AS client, a.xact_start, l.mode, c.relname
         FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'relation' AND l.granted AND n.nspname = $1 AND l.pid <> pg_backend_pid()
        ORDER BY array_position($2::text[], l.mode::text), a.xact_start NULLS LAST
        LIMIT 1`,
      [schema, MODES],
    )
    .catch(() => undefined);
  return found?.rows[0];
}

/** A lock's holder in words: "server process 4242 of role ana from 10.0.0.7 (psql), in a transaction since …". */
export function holderWords(h: LockHolder): string {
  const who = [h.usename ? `role ${h.usename}` : '', h.client ? `from ${h.client}` : '', h.application_name ? `(${h.application_name})` : ''].filter(Boolean).join(' ');
  const since = h.xact_start ? `, in a transaction since ${new Date(h.xact_start).toISOString()}` : '';
  return `server process ${h.pid}${who ? ` of ${who}` : ''}${since}`;
}

/** What a 55P03 fault names: where, what promptctl was doing, who held the lock (null: no one any more) and the wait, when known. */
export interface LockFaultContext {
  where: string;
  doing: string;
  lockHolder?: LockHolder | null;
  /** lock_timeout as the server shows it ("10s"), when it is the one the failed statement waited. */
  lockWait?: string;
  /** The library's reader: an application, which runs no command (fault-hints.ts afterTheFix). */
  library?: boolean;
}

/** 55P03 on a table or row of the registry: one wording for reads, writes and deploys (faults.ts). */
export function lockHeldFault(ctx: LockFaultContext, detail: string): UnavailableError {
  const h = ctx.lockHolder ?? undefined;
  const who = h ? ` (server process ${h.pid}, application ${h.application_name || 'unnamed'}, role ${h.usename ?? 'not visible to this role'})` : '';
  return new UnavailableError({
    message: `the tables of the PostgreSQL registry at ${ctx.where} were locked by another session${who} for longer than ${ctx.lockWait ?? 'lock_timeout'} (while ${ctx.doing})`,
    why: `${detail} (${LOCK_NOT_AVAILABLE}): ${h ? `${holderWords(h)}, holds ${h.mode ?? 'a lock'}${h.relname ? ` on ${h.relname}` : ''}` : 'the session that held it has finished since, or this role cannot see it'}; promptctl waits for a lock only as long as lock_timeout allows (where the role, the database and the URL's options set none: up to ${READ_LOCK_WAIT_MS / 1000} s for a read or a step of registry migrate, and for a write just under the time it waits for an answer), so a stuck session cannot hang it`,
    hint: h
      ? `wait for that session to finish (a migration, a backup, a psql session left inside a transaction); ${afterTheFix(ctx.library)}; if it is stuck, a database administrator can end it (its transaction is rolled back): SELECT pg_terminate_backend(${h.pid});`
      : `wait for whatever held the lock to finish; ${afterTheFix(ctx.library)}; if it keeps failing, SELECT pid, usename, application_name, xact_start FROM pg_stat_activity WHERE state <> 'idle' lists the sessions that may hold the lock`,
  });
}
