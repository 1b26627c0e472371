import { errorCode, InterruptedError } from '../../../core/errors.js';
import { throwIfStopped } from '../stopped.js';
import { LOCK_NOT_AVAILABLE } from './lock-wait.js';
import { advisoryLockHolder, turnHeldFault } from './turns.js';
import { inTransaction, type Session } from './session.js';

/**
 * A push's turn: a session-level advisory lock, held until the push ends (push.ts). It is taken
 * inside a transaction of its own so that the wait is a write's (as long as the session's write
 * transactions wait, lock-wait.ts): a push that holds the turn longer ends the wait as exit 3
 * saying so, not as a statement without an answer blamed on the network. A session lock outlives
 * the transaction that took it.
 */
export async function pushTurn(s: Session, key: string, signal?: AbortSignal): Promise<void> {
  const doing = "while waiting for another push's turn";
  try {
    // A stop signal ends the wait at once (the connection is ended): nothing was written yet.
    await inTransaction(s, (tx) => tx.client.query('SELECT pg_advisory_lock(hashtext($1))', [key]), { signal, doing });
  } catch (err) {
    if (err instanceof InterruptedError) throwIfStopped(signal, doing, { hint: 'run `promptctl registry push` again to push' });
    if (errorCode(err) !== LOCK_NOT_AVAILABLE) throw err;
    throw turnHeldFault({
      whose: 'another registry push',
      where: s.where,
      waited: s.notes?.lockWait ?? 'lock_timeout',
      holder: await advisoryLockHolder(s.client, [key]),
      why: 'pushes to one registry take turns, so that a second push of the same log finds it there instead of racing the first row by row',
      again: 'run `promptctl registry push` again (it copies only what is missing)',
    });
  }
}
