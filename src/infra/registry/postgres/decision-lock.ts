import type { QueryConfig } from 'pg';
import { ANSWER_TIMEOUT_MS } from './timeouts.js';
import { UnavailableError } from '../../../core/errors.js';
import { rows, type Session } from './session.js';
import { boundLockWaitSql, holderWords, lastWait, LOCK_NOT_AVAILABLE, type LockHolder } from './lock-wait.js';

/**
 * The turn two processes take when they decide about one prompt in one environment: a
 * transaction-level advisory lock, released by COMMIT or ROLLBACK. The wait is bounded: a change
 * that holds the turn for longer (a process stopped mid-change, a laptop gone to sleep with its
 * connection open) makes the waiting command exit 3 naming the session that holds it, instead of
 * hanging without a word. A lock_timeout the database or role already sets is kept.
 */

/** How long a decision waits for another's turn when the server sets no lock_timeout (ms). */
export const DECISION_WAIT_MS = 30_000;

/** The savepoint a timed-out wait rolls back to, so the transaction can still ask who holds the turn. */
const SAVEPOINT = 'promptctl_decision_wait';

export async function lockDecision(s: Session, promptId: string, env: string): Promise<void> {
  if (!s.inTransaction) return;
  const waitMs = Math.max(1, Math.round(s.decisionWaitMs ?? DECISION_WAIT_MS));
  // SET LOCAL ends with the transaction, and covers the chain head's row lock this change takes next.
  // Two statements answer with one result each; the wait is the second's, as the server shows it ("30s").
  const waited = lastWait(await s.client.query(`SAVEPOINT ${SAVEPOINT}; ${boundLockWaitSql(waitMs, true)}`)) ?? `${waitMs}ms`;
  // The chain head's row lock waits as long: a lock fault there names this wait (connection.ts).
  if (s.notes) s.notes.lockWait = waited;
  const keys = [`promptctl decision ${s.schema}`, JSON.stringify([promptId, env])];
  try {
    // The server ends the wait at lock_timeout; the client waits that long and a margin for the answer.
    const answerWithin = Math.max(ANSWER_TIMEOUT_MS, (settingMs(waited) ?? waitMs) + 30_000);
    await s.client.query({ text: 'SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', values: keys, query_timeout: answerWithin } as QueryConfig);
  } catch (err) {
    if ((err as { code?: unknown }).code !== LOCK_NOT_AVAILABLE) throw err;
    await s.client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    const holder = await holderOf(s, keys);
    throw new UnavailableError({
      message: `another change to ${promptId} in ${env} held its turn for longer than ${waited} on the PostgreSQL registry at ${s.where}`,
      why: `${holder ? `it is held by ${holderWords(holder)}` : 'its holder finished just now or is not visible to this role'}; deploys, promotes and rollbacks of one prompt in one environment take turns, and this one waited as long as lock_timeout allows`,
      hint: holder
        ? `run the command again once that change has finished; if that session is stuck, a database administrator can end it (its change is rolled back): SELECT pg_terminate_backend(${holder.pid});`
        : 'run the command again',
    });
  }
}

async function holderOf(s: Session, keys: string[]): Promise<LockHolder | undefined> {
  // A two-key advisory lock is listed with its keys in classid and objid (as oid), objsubid 2.
  const found = await rows<LockHolder>(
    s,
    `SELECT a.pid, a.usename, a.application_name, host(a.client_addr) AS client, a.xact_start
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
        AND l.classid = hashtext($1)::oid AND l.objid = hashtext($2)::oid AND l.pid <> pg_backend_pid()`,
    keys,
  );
  return found[0];
}

/** A duration setting as the server shows it (`30s`, `5min`, `1500ms`, `1h`) in ms; undefined when unreadable. */
export function settingMs(shown: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?$/.exec(shown.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms'];
  return Number(m[1]) * unit;
}
