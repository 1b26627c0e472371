import type { ClientBase } from 'pg';
import { isLostConnection } from './lost-connection.js';

/**
 * `read` inside one REPEATABLE READ READ ONLY transaction on `client`: every statement it sends
 * sees the snapshot its first one took, while other sessions commit. Read-only transactions take
 * no row locks and cannot fail to serialize, so writers never wait for it and it needs no retry;
 * it needs no privilege beyond the reads themselves (reader, evaluator and deployer roles alike).
 * Nothing is written, so ending it is only letting go of the snapshot.
 */
export async function inReadSnapshot<T>(client: ClientBase, read: () => Promise<T>): Promise<T> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  let result: T;
  try {
    result = await read();
  } catch (err) {
    // A lost connection ended the transaction with it; the caller reports `err` (exit 3).
    if (!isLostConnection(err)) await client.query('ROLLBACK').catch(() => {});
    throw err;
  }
  await client.query('COMMIT');
  return result;
}
