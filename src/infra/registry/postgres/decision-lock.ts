import type { Session } from './session.js';
import { takeTransactionTurn } from './turns.js';

/**
 * The turn two processes take when they decide about one prompt in one environment: a
 * transaction-level advisory lock, released by COMMIT or ROLLBACK. The wait is bounded: a change
 * that holds the turn for longer (a process stopped mid-change, a laptop gone to sleep with its
 * connection open) makes the waiting command exit 3 naming the session that holds it, instead of
 * hanging without a word. A lock_timeout the database or role already sets is kept.
 */

/** How long a decision waits for another's turn when the server sets no lock_timeout (ms). */
export const DECISION_WAIT_MS = 30_000;

export async function lockDecision(s: Session, promptId: string, env: string): Promise<void> {
  if (!s.inTransaction) return;
  const waited = await takeTransactionTurn(s.client, {
    keys: [`promptctl decision ${s.schema}`, JSON.stringify([promptId, env])],
    waitMs: s.decisionWaitMs ?? DECISION_WAIT_MS,
    whose: `another change to ${promptId} in ${env}`,
    where: s.where,
    why: 'deploys, promotes and rollbacks of one prompt in one environment take turns',
    again: 'run the command again',
  });
  // The chain head's row lock waits as long (the wait is SET LOCAL): a lock fault there names this wait (connection.ts).
  if (s.notes) s.notes.lockWait = waited;
}
