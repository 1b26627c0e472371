import type { Pool, PoolClient } from 'pg';
import { errorCode } from '../../../core/errors.js';
import { TOO_MANY_CONNECTIONS } from './server-refusals.js';

/** Waits before each new try while the server counts a slot that is being freed (about 1.5 s in all). */
const SLOT_WAITS_MS = [25, 50, 100, 200, 400, 700];

/**
 * A connection, tried again while the server refuses it for too many connections (53300): the
 * server counts a session until its backend process has exited, a little after the client closed
 * it, so a command run right after another under a role allowed one connection (`registry migrate`
 * then `registry push`, or push's own check after its copy) can meet the slot still taken. A limit
 * that stays reached is refused as before, after about 1.5 s.
 */
export async function connectOnFreedSlot(pool: Pool): Promise<PoolClient> {
  for (const wait of SLOT_WAITS_MS) {
    try {
      return await pool.connect();
    } catch (err) {
      if (errorCode(err) !== TOO_MANY_CONNECTIONS) throw err;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
  return pool.connect();
}

