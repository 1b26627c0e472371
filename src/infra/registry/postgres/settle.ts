import type { ClientBase } from 'pg';
import { UnavailableError } from '../../../core/errors.js';
import type { PgConnection } from './connection.js';
import { LostCommit } from './lost-connection.js';

/**
 * A connection lost after COMMIT was sent leaves the outcome with the server: the transaction
 * landed or it did not. When an event it appended carries an idempotency key (deploy and
 * rollback make one per invocation; a supersede event appended with a deploy has none, and need
 * not: the transaction lands whole), a new connection asks: all keys recorded means it landed, and
 * what `fn` returned is what was committed; none means it did not, and the whole transaction runs
 * again with the same keys (a decision made afresh, on the state as it now is). Without a key
 * nothing can tell, so it stays exit 3 naming `promptctl history`; a transaction that wrote nothing
 * (a deploy with nothing to do, a refused rollback) has nothing to settle: its result stands.
 */

const MAX_LOST_COMMITS = 3;

export async function runSettlingLostCommits<T>(conn: PgConnection, once: () => Promise<T>): Promise<T> {
  for (let lost = 1; ; lost++) {
    try {
      return await once();
    } catch (err) {
      if (!(err instanceof LostCommit)) throw err;
      // Nothing written: landed or not, the state is the same, and what `fn` returned stands.
      if (!err.wrote) return err.result as T;
      if (!err.settleable) throw conn.fault(err.lost, 'committing a transaction');
      const { keys } = err;
      const landed = await conn.withClient('checking whether a lost COMMIT arrived', (client) => recordedKeys(client, keys));
      if (landed === keys.length) return err.result as T;
      if (landed !== 0) throw partlyRecorded(conn, landed, keys.length);
      // It did not land: nothing was written, so giving up here leaves the old state.
      if (lost >= MAX_LOST_COMMITS) throw conn.fault(err.lost, 'committing a transaction');
    }
  }
}

async function recordedKeys(client: ClientBase, keys: string[]): Promise<number> {
  // The transaction that lost its COMMIT may still be open on the server (the COMMIT not read
  // yet): it holds the chain head (row or table), so this waits until it ends either way.
  await client.query('SELECT 1 FROM chain_head FOR SHARE');
  const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE idempotency_key = ANY($1)', [keys]);
  return Number(rows[0]!.n);
}

/** One transaction cannot land in part: an event with the same key came from elsewhere. */
function partlyRecorded(conn: PgConnection, landed: number, of: number): UnavailableError {
  return new UnavailableError({
    message: `the registry at ${conn.target.display} holds ${landed} of the ${of} events of a transaction whose COMMIT was lost`,
    why: 'their idempotency keys were also used by another write, so whether this one landed cannot be told',
    hint: 'run `promptctl history` and `promptctl audit verify` to see what was recorded, then run the command again if needed',
  });
}
