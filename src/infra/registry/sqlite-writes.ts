import type Database from 'better-sqlite3';
import { InternalError, isPromptctlError } from '../../core/errors.js';
import { busyUnavailable, DEFAULT_BUSY_RETRY, isBusyError, waitForWriteLock, withBusyRetry } from './sqlite-busy.js';

/**
 * How long one try for the write lock may block the event loop (SQLite's busy_timeout) when the
 * caller waits between tries itself (`whenFree`).
 */
const ONE_TRY_MS = 50;

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

  /** Set while `whenFree` runs a call: a write that cannot start at once throws SQLite's busy error for it to wait. */
  private oneTry = false;
  /** Whether a write of the call `whenFree` runs has started (then the call is never run again). */
  private callStarted = false;

  /**
   * Opens a write transaction that stays open until `commit` or `rollback` (for `Registry.transaction`),
   * waiting for the write lock without blocking the event loop; `signal` ends the wait.
   */
  async begin(signal?: AbortSignal): Promise<void> {
    this.refuseReadonly();
    await this.whenFree(() => this.briefly(() => this.db.exec('BEGIN IMMEDIATE')), signal);
  }

  /**
   * Runs `call` (a registry call, which writes through `run`) once the write lock is free: each try
   * blocks at most ONE_TRY_MS, and the wait between tries is on timers (sqlite-busy.ts). A call that
   * started writing is never run again.
   */
  whenFree<T>(call: () => T, signal?: AbortSignal): Promise<T> {
    return waitForWriteLock(() => {
      this.oneTry = true;
      this.callStarted = false;
      try {
        return call();
      } finally {
        this.oneTry = false;
      }
    }, { ...DEFAULT_BUSY_RETRY, path: this.path, doing: 'writing', signal });
  }

  /** `fn` with SQLite's own wait for a lock cut to ONE_TRY_MS. */
  private briefly<T>(fn: () => T): T {
    const was = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma(`busy_timeout = ${ONE_TRY_MS}`);
    try {
      return fn();
    } finally {
      this.db.pragma(`busy_timeout = ${was}`);
    }
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
    const attempt = (markStarted?: () => void) =>
      this.db
        .transaction(() => {
          // BEGIN IMMEDIATE succeeded: from here a busy error is not retried, so fn runs once.
          this.callStarted = true;
          markStarted?.();
          return fn();
        })
        .immediate();
    try {
      // Under whenFree: one brief try; the caller waits between tries without blocking.
      if (this.oneTry) return this.briefly(() => attempt());
      return withBusyRetry(attempt, { ...DEFAULT_BUSY_RETRY, path: this.path, doing: 'writing' });
    } catch (err) {
      // Not started: whenFree waits for the lock and tries the whole call again.
      if (this.oneTry && !this.callStarted && isBusyError(err) && !isPromptctlError(err)) throw err;
      // A COMMIT can still meet a lock in rare WAL cases; it must surface as exit 3, not a raw SQLITE_BUSY.
      if (isBusyError(err) && !isPromptctlError(err)) throw busyUnavailable({ path: this.path, doing: 'writing' }, err);
      throw err;
    }
  }
}
