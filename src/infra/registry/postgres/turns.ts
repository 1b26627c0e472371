import type { ClientBase, QueryConfig } from 'pg';
import { errorCode, UnavailableError } from '../../../core/errors.js';
import { boundLockWaitSql, holderWords, lastWait, LOCK_NOT_AVAILABLE, type LockHolder } from './lock-wait.js';
import { ANSWER_TIMEOUT_MS } from './timeouts.js';

/**
 * Turns: advisory locks two processes take so that one waits for the other (a deploy's decision
 * about one prompt in one environment, a migration of a schema, a push). A wait is bounded, and a
 * wait that runs out is exit 3 naming the session that holds the turn, in one wording.
 */

/** The savepoint a timed-out wait rolls back to, so the transaction can still ask who holds the turn. */
const SAVEPOINT = 'promptctl_turn_wait';

/** A transaction-level turn: its two keys, how long to wait where the server sets no lock_timeout, and the words of its fault. */
export interface TransactionTurn extends Omit<TurnFaultContext, 'waited' | 'holder'> {
  keys: readonly [string, string];
  waitMs: number;
}

/**
 * Takes a transaction-level turn (released by COMMIT or ROLLBACK) inside the client's open
 * transaction, waiting at most `waitMs` (SET LOCAL; a lock_timeout the database or role sets is
 * kept). The wait in force, as the server shows it ("30s"), is returned: it also bounds the row
 * locks the transaction takes next.
 */
export async function takeTransactionTurn(client: ClientBase, t: TransactionTurn): Promise<string> {
  const waitMs = Math.max(1, Math.round(t.waitMs));
  // Two statements answer with one result each; the wait is the second's, as the server shows it.
  const waited = lastWait(await client.query(`SAVEPOINT ${SAVEPOINT}; ${boundLockWaitSql(waitMs, true)}`)) ?? `${waitMs}ms`;
  try {
    // The server ends the wait at lock_timeout; the client waits that long and a margin for the answer.
    const answerWithin = Math.max(ANSWER_TIMEOUT_MS, (settingMs(waited) ?? waitMs) + 30_000);
    await client.query({ text: 'SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', values: [...t.keys], query_timeout: answerWithin } as QueryConfig);
  } catch (err) {
    if (errorCode(err) !== LOCK_NOT_AVAILABLE) throw err;
    await client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    throw turnHeldFault({ ...t, waited, holder: await advisoryLockHolder(client, t.keys) });
  }
  return waited;
}

/**
 * Who holds an advisory lock ("a turn": a deploy's, a push's, a migration's) after a wait for it
 * ran out. Keyed by one or two hashtext() values, as the turn was taken, in this database (the same
 * keys in another database are another lock). pg_locks lists a one-key
 * lock by its 64-bit key split into classid (high half) and objid (low half), objsubid 1; a
 * two-key lock by its keys in classid and objid, objsubid 2. Undefined when no other session
 * holds it any more, or this role cannot see it (the question failing too: the turn is the fault).
 */
export async function advisoryLockHolder(client: ClientBase, keys: readonly [string] | readonly [string, string]): Promise<LockHolder | undefined> {
  const match = keys.length === 1
    ? 'l.objsubid = 1 AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtext($1)::bigint'
    : 'l.objsubid = 2 AND l.classid = hashtext($1)::oid AND l.objid = hashtext($2)::oid';
  const found = await client
    .query<LockHolder>(
      `SELECT a.pid, a.usename, a.application_name, host(a.client_addr) AS client, a.xact_start
         FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND ${match} AND l.pid <> pg_backend_pid()
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [...keys],
    )
    .catch(() => undefined);
  return found?.rows[0];
}

/** What a turn's wait that ran out names: whose turn, where, how long it waited, why turns are taken, and how to try again. */
export interface TurnFaultContext {
  /** "another change to support in production", "another registry push", ... */
  whose: string;
  where: string;
  /** lock_timeout as the server shows it ("30s"). */
  waited: string;
  holder: LockHolder | undefined;
  why: string;
  /** What to run again, once the holder has finished. */
  again: string;
}

/** 55P03 on a turn: one wording for a deploy's, a push's and a migration's (the holder named, and how to end it). */
export function turnHeldFault(t: TurnFaultContext): UnavailableError {
  return new UnavailableError({
    message: `${t.whose} held its turn for longer than ${t.waited} on the PostgreSQL registry at ${t.where}`,
    why: `${t.holder ? `it is held by ${holderWords(t.holder)}` : 'its holder finished just now or is not visible to this role'}; ${t.why}, and this one waited as long as lock_timeout allows`,
    hint: t.holder
      ? `${t.again} once the other has finished; if that session is stuck, a database administrator can end it (its change is rolled back): SELECT pg_terminate_backend(${t.holder.pid});`
      : t.again,
  });
}

/** A duration setting as the server shows it (`30s`, `5min`, `1500ms`, `1h`) in ms; undefined when unreadable. */
export function settingMs(shown: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?$/.exec(shown.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms'];
  return Number(m[1]) * unit;
}
