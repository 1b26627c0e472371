import type { QueryConfig } from 'pg';
import { ANSWER_TIMEOUT_MS } from './timeouts.js';
import type { Session } from './session.js';
import { advisoryLockHolder, boundLockWaitSql, lastWait, LOCK_NOT_AVAILABLE, turnHeldFault } from './lock-wait.js';

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
  const keys = [`promptctl decision ${s.schema}`, JSON.stringify([promptId, env])] as const;
  try {
    // The server ends the wait at lock_timeout; the client waits that long and a margin for the answer.
    const answerWithin = Math.max(ANSWER_TIMEOUT_MS, (settingMs(waited) ?? waitMs) + 30_000);
    await s.client.query({ text: 'SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', values: [...keys], query_timeout: answerWithin } as QueryConfig);
  } catch (err) {
    if ((err as { code?: unknown }).code !== LOCK_NOT_AVAILABLE) throw err;
    await s.client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    throw turnHeldFault({
      whose: `another change to ${promptId} in ${env}`,
      where: s.where,
      waited,
      holder: await advisoryLockHolder(s.client, keys),
      why: 'deploys, promotes and rollbacks of one prompt in one environment take turns',
      again: 'run the command again',
    });
  }
}

/** A duration setting as the server shows it (`30s`, `5min`, `1500ms`, `1h`) in ms; undefined when unreadable. */
export function settingMs(shown: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|min|h|d)?$/.exec(shown.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms'];
  return Number(m[1]) * unit;
}
