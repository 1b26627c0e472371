import type { ClientBase } from 'pg';
import { InternalError, UnavailableError } from '../../../core/errors.js';
import { throwIfStopped } from '../stopped.js';
import type { TransactionOptions } from '../types.js';
import type { ClientNotes } from './faults.js';
import { isLostConnection, isRetryable, LostCommit } from './lost-connection.js';
import { lastWait } from './lock-wait.js';
import { DecidedOnOlderLog } from '../decided-on.js';

/**
 * What every query module works on: one checked-out client, and whether a transaction is open on
 * it. `atomic` is the one rule for multi-step writes: inside the caller's transaction they join
 * it; otherwise they get their own, retried (whole) on serialization failure or deadlock only.
 */

export interface Session {
  readonly client: ClientBase;
  readonly inTransaction: boolean;
  readonly readonly: boolean;
  /** The registry as people see it (no password), for messages. */
  readonly where: string;
  /** Its schema, for lock keys that must not collide with another registry's in the same database. */
  readonly schema: string;
  now(): string;
  /** signing.since from .promptrc.yaml: from this seq on, an unsigned event is refused. */
  readonly signingSince?: number;
  /** How long a decision waits for another's turn when the server sets no lock_timeout (decision-lock.ts); its default otherwise. */
  readonly decisionWaitMs?: number;
  /** A write transaction's BEGIN, bounding its lock wait where the server sets none (PgConnection.writeBegin); undefined: a plain BEGIN. */
  readonly writeBegin?: string;
  /** Where a transaction notes, for its faults' words, the lock wait it set for itself and the call it is in (connection.ts). */
  readonly notes?: ClientNotes;
  /** Inside a transaction: the idempotency key of each event it appended (undefined for an event without one). */
  readonly appended?: Array<string | undefined>;
  /** Inside a transaction: set by its first write (every write goes through `atomic` or `atomicStatement`). */
  readonly writes?: { any: boolean };
}

export async function rows<R>(s: Session, sql: string, params: unknown[] = []): Promise<R[]> {
  return (await s.client.query(sql, params)).rows as R[];
}

/**
 * A batched read's answers in the order of its keys: `found` rows carry `n`, the 1-based position
 * of their key (unnest ... WITH ORDINALITY); a key without a row answers undefined.
 */
export function inKeyOrder<R extends { n: string | number }, T>(count: number, found: readonly R[], map: (row: R) => T): Array<T | undefined> {
  const out: Array<T | undefined> = new Array<T | undefined>(count).fill(undefined);
  for (const row of found) out[Number(row.n) - 1] = map(row);
  return out;
}

export async function changed(s: Session, sql: string, params: unknown[] = []): Promise<number> {
  return (await s.client.query(sql, params)).rowCount ?? 0;
}

export async function atomic<T>(s: Session, fn: (s: Session) => Promise<T>): Promise<T> {
  if (s.readonly) throw new InternalError({ message: `the registry at ${s.where} was opened read-only and cannot be written` });
  if (s.inTransaction) return wrote(s, fn);
  return inTransaction(s, (tx) => wrote(tx, fn));
}

/** Notes that the transaction writes: a COMMIT of one that wrote nothing has nothing to settle when lost (settle.ts). */
function wrote<T>(tx: Session, fn: (s: Session) => Promise<T>): Promise<T> {
  if (tx.writes) tx.writes.any = true;
  return fn(tx);
}

const MAX_ATTEMPTS = 5;

/**
 * BEGIN ... COMMIT around `fn`, run again from the start when the server asks (40001, 40P01) or
 * an append finds the log moved since the decision read it (`DecidedOnOlderLog`). A
 * connection lost once COMMIT was sent throws `LostCommit`: only the server knows whether the
 * transaction landed, and the caller settles that from the events' idempotency keys.
 *
 * `signal` aborted before COMMIT is sent ends the connection: a statement waiting for a lock (the
 * decision lock, a table another session locked) stops at once, the server rolls the transaction
 * back, and `InterruptedError` is thrown. From COMMIT on it is not listened to.
 */
export async function inTransaction<T>(s: Session, fn: (tx: Session) => Promise<T>, { signal, doing }: TransactionOptions = {}): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    throwIfStopped(signal, doing ?? 'before the change began');
    const appended: Array<string | undefined> = [];
    const writes = { any: false };
    const tx: Session = { ...s, inTransaction: true, appended, writes };
    let committing = false;
    // pg's end() destroys the socket under a statement in flight, which then fails at once.
    const cut = () => void (s.client as ClientBase & { end(): Promise<void> }).end().catch(() => {});
    signal?.addEventListener('abort', cut, { once: true });
    try {
      const begun = await s.client.query(s.writeBegin ?? 'BEGIN');
      if (s.notes) s.notes.lockWait = lastWait(begun);
      const result = await fn(tx);
      throwIfStopped(signal, doing ?? 'before the change was committed');
      committing = true;
      signal?.removeEventListener('abort', cut);
      try {
        await s.client.query('COMMIT');
      } catch (err) {
        if (isLostConnection(err)) throw new LostCommit(err, result, appended, writes.any);
        throw err;
      }
      // Its lock wait ended with it: a later statement on the client waits the session's.
      if (s.notes) s.notes.lockWait = undefined;
      return result;
    } catch (err) {
      if (err instanceof LostCommit) throw err;
      // After a lost connection the server has rolled back already; the error that matters is `err`.
      if (!committing || !isLostConnection(err)) await s.client.query('ROLLBACK').catch(() => {});
      if (!committing) throwIfStopped(signal, doing ?? 'while the change waited or was being decided', { cause: err });
      // A decision made on an older log (decided-on.ts) is made again on the log as it is now.
      const outdated = err instanceof DecidedOnOlderLog;
      if (!outdated && !isRetryable(err)) throw err;
      if (attempt >= MAX_ATTEMPTS) throw outdated ? err : keptConflicting(s, attempt, err);
      await pauseBeforeRetry(attempt);
    } finally {
      signal?.removeEventListener('abort', cut);
    }
  }
}

/**
 * A write that is one statement, atomic by itself: inside the caller's transaction it joins it;
 * otherwise it runs as its own transaction (no BEGIN and COMMIT round trips), run again on
 * serialization failure or deadlock as `inTransaction` runs a whole transaction again. A
 * connection lost meanwhile is exit 3, as a lost COMMIT without idempotency keys is.
 */
export async function atomicStatement<R = never>(s: Session, sql: string, params: unknown[]): Promise<R[]> {
  if (s.readonly) throw new InternalError({ message: `the registry at ${s.where} was opened read-only and cannot be written` });
  for (let attempt = 1; ; attempt++) {
    try {
      if (s.writes) s.writes.any = true;
      return (await s.client.query(sql, params)).rows as R[];
    } catch (err) {
      if (s.inTransaction || !isRetryable(err)) throw err;
      if (attempt >= MAX_ATTEMPTS) throw keptConflicting(s, attempt, err);
      await pauseBeforeRetry(attempt);
    }
  }
}

function keptConflicting(s: Session, attempt: number, err: unknown): UnavailableError {
  return new UnavailableError({
    message: `the registry at ${s.where} kept refusing a write as conflicting with concurrent ones (${attempt} tries)`,
    why: 'PostgreSQL reported a serialization failure or a deadlock each time',
    hint: 'run the command again; if it persists, look for a long-running transaction on the server (pg_stat_activity)',
    cause: err,
  });
}

/** Jittered, growing pause so the conflicting transactions do not meet again at once. */
function pauseBeforeRetry(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * 2 ** attempt));
}
