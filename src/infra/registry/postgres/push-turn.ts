import { errorCode, InterruptedError } from '../../../core/errors.js';
import { throwIfStopped } from '../stopped.js';
import { boundLockWaitSql, lastWait, LOCK_NOT_AVAILABLE, type LockHolder } from './lock-wait.js';
import { advisoryLockHolder, turnHeldFault } from './turns.js';
import { inTransaction, type Session } from './session.js';

/**
 * A push's turn: a session-level advisory lock, held until the push ends (push.ts). It is taken
 * inside a transaction of its own so that its wait is bounded with SET LOCAL: a push that holds the
 * turn longer (a killed push whose server session still waits, a push still copying) ends the wait
 * as exit 3 naming that session, not as a statement without an answer blamed on the network. A
 * session lock outlives the transaction that took it.
 */

/**
 * How long a push waits for another push's turn where the server sets no lock_timeout (ms): as long
 * as a deploy waits for its turn (decision-lock.ts), not a write's wait of nearly two minutes, which
 * left a second push silent all that time.
 */
export const PUSH_TURN_WAIT_MS = 30_000;

export async function pushTurn(s: Session, key: string, o: { signal?: AbortSignal; waitMs?: number; onWaiting?: (holder: LockHolder | undefined, waitsAtMost: string) => void } = {}): Promise<void> {
  const doing = "while waiting for another push's turn";
  const waitMs = Math.max(1, Math.round(o.waitMs ?? PUSH_TURN_WAIT_MS));
  let waited = `${waitMs}ms`;
  // Taken at once when free, outside a transaction; otherwise the person is told whose turn it is
  // (asked here, where a failed question cannot abort the transaction that waits) before the wait.
  const free = await s.client.query<{ got: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS got', [key]);
  if (free.rows[0]?.got) return;
  const holder = o.onWaiting ? await advisoryLockHolder(s.client, [key]) : undefined;
  try {
    // A stop signal ends the wait at once (the connection is ended): nothing was written yet.
    await inTransaction(
      s,
      async (tx) => {
        // The wait in force, as the server shows it: a lock_timeout the database or role sets is kept.
        waited = lastWait(await tx.client.query(boundLockWaitSql(waitMs, true))) ?? waited;
        o.onWaiting?.(holder, waited);
        await tx.client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
      },
      { signal: o.signal, doing },
    );
  } catch (err) {
    if (err instanceof InterruptedError) throwIfStopped(o.signal, doing, { hint: 'run `promptctl registry push` again to push' });
    if (errorCode(err) !== LOCK_NOT_AVAILABLE) throw err;
    throw turnHeldFault({
      whose: 'another registry push',
      where: s.where,
      waited,
      holder: await advisoryLockHolder(s.client, [key]),
      why: 'pushes to one registry take turns, so that a second push of the same log finds it there instead of racing the first row by row',
      again: 'run `promptctl registry push` again (it copies only what is missing)',
    });
  }
}
