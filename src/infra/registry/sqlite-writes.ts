import type Database from 'better-sqlite3';
import { InternalError, isPromptctlError } from '../../core/errors.js';
import { busyUnavailable, DEFAULT_BUSY_RETRY, isBusyError, withBusyRetry } from './sqlite-busy.js';

/**
 * How the SQLite registry writes: every multi-step write in one BEGIN IMMEDIATE transaction (or a
 * savepoint of the one already open), a lock held by another process retried and then reported as
 * exit 3, and no write at all on a connection opened read-only.
 */
export class WriteTransactions {
  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly readonly: boolean,
  ) {}

  /** Opens a write transaction that stays open until `commit` or `rollback` (for `Registry.transaction`). */
  begin(): void {
    this.refuseReadonly();
    withBusyRetry(() => this.db.exec('BEGIN IMMEDIATE'), { ...DEFAULT_BUSY_RETRY, path: this.path, doing: 'writing' });
  }

  commit(): void {
    try {
      this.db.exec('COMMIT');
    } catch (err) {
      // A COMMIT can still meet a lock in rare WAL cases; it must surface as exit 3, not a raw SQLITE_BUSY.
      throw this.rollback(err);
    }
  }

  /** Undoes the open transaction after `err`, and returns the error to throw (a busy one as exit 3). */
  rollback(err?: unknown): unknown {
    // SQLite may already have rolled back by itself (e.g. after SQLITE_FULL); then there is nothing to undo.
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    return isBusyError(err) && !isPromptctlError(err) ? busyUnavailable({ path: this.path, doing: 'writing' }, err) : err;
  }

  private refuseReadonly(): void {
    // Every write goes through here; a command that opened read-only and writes is a bug, not exit 3.
    if (this.readonly) throw new InternalError({ message: `the registry at ${this.path} was opened read-only and cannot be written` });
  }

  /** One write: its own BEGIN IMMEDIATE transaction, or a savepoint inside the one already open. */
  run<T>(fn: () => T): T {
    this.refuseReadonly();
    // Nested: better-sqlite3 turns the inner call into a SAVEPOINT inside the outer transaction.
    if (this.db.inTransaction) return this.db.transaction(fn)();
    try {
      return withBusyRetry(
        (markStarted) =>
          this.db
            .transaction(() => {
              // BEGIN IMMEDIATE succeeded: from here a busy error is not retried, so fn runs once.
              markStarted();
              return fn();
            })
            .immediate(),
        { ...DEFAULT_BUSY_RETRY, path: this.path, doing: 'writing' },
      );
    } catch (err) {
      // A COMMIT can still meet a lock in rare WAL cases; it must surface as exit 3, not a raw SQLITE_BUSY.
      if (isBusyError(err) && !isPromptctlError(err)) throw busyUnavailable({ path: this.path, doing: 'writing' }, err);
      throw err;
    }
  }
}
