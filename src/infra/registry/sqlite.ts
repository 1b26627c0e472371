import { systemClock, type Clock } from '../clock.js';
import { ConnectionLock } from './connection-lock.js';
import { guardFaults, registryFault } from './sqlite-faults.js';
import type { OnUpgrade } from './sqlite-open.js';
import { openSqliteStore, type RegistryCall, type SqliteStore } from './sqlite-store.js';
import { REGISTRY_CALLS, writes } from './registry-calls.js';
import { fileKey, inWriteTurn } from './file-turns.js';
import { SnapshotView } from './snapshot-view.js';
import { TransactionView } from './transaction-view.js';
import { throwIfStopped } from './stopped.js';
import type { Registry, TransactionOptions } from './types.js';

/**
 * The SQLite registry behind the asynchronous `Registry` interface. better-sqlite3 answers
 * synchronously, so each call is one synchronous step taken when the connection is free; a
 * transaction holds the connection across its awaits (BEGIN IMMEDIATE ... COMMIT), and every
 * other call on this registry waits its turn, so nothing interleaves with a read-decide-write.
 * Writes also take turns with the process's other connections to the file (file-turns.ts).
 */

export interface SqliteRegistryOptions {
  path: string;
  /** Wall-clock time for what is recorded (created_at, event times); the system clock by default. */
  clock?: Pick<Clock, 'date'>;
  /** Open without taking write locks (e.g. an application reading the active version). */
  readonly?: boolean;
  /** signing.since from .promptrc.yaml: from this seq on, an unsigned event is refused. */
  signingSince?: number;
  /** Told when opening read-write upgraded an older file's schema (a reader never upgrades one). */
  onUpgrade?: OnUpgrade;
  /** Told when opening created the file: this process's new file was put in place, not a racing creator's. */
  onCreated?: () => void;
  /** How long a statement waits for a lock another process holds on the file before exit 3 "stayed locked" (ms; default BUSY_TIMEOUT_MS, 10 s). */
  busyTimeoutMs?: number;
  /** The library's reader (index.ts): its faults are worded for an application, which reads no .promptrc.yaml. */
  library?: boolean;
}

/** A registry file: `readsSnapshot` when it is read as a snapshot (sqlite-driver.ts openSnapshot), blind to later changes. */
export type SqliteFileRegistry = Registry & { readonly readsSnapshot: boolean };

export function openSqliteRegistry(opts: SqliteRegistryOptions): SqliteFileRegistry {
  const store = guardFaults(opts.path, () => openSqliteStore(opts.path, opts.clock ?? systemClock, opts.readonly ?? false, opts.signingSince, { onUpgrade: opts.onUpgrade, onCreated: opts.onCreated }, opts.busyTimeoutMs, opts.library));
  return new SqliteRegistry(store, new ConnectionLock());
}

type Step = <T>(step: () => T, call: RegistryCall) => Promise<T>;

/** The registry's calls over `store`, each one synchronous step passed through `take`. */
function callsThrough(store: SqliteStore, take: Step): Pick<Registry, RegistryCall> {
  const calls: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of REGISTRY_CALLS) {
    const method = store[name] as (...args: unknown[]) => unknown;
    // A damaged page or a full disk can surface from any statement: exit 3 naming the file, not a crash.
    calls[name] = (...args) => take(() => guardFaults(store.path, () => method.apply(store, args)), name);
  }
  return calls as unknown as Pick<Registry, RegistryCall>;
}

interface SqliteRegistry extends Pick<Registry, RegistryCall> {}

class SqliteRegistry implements SqliteFileRegistry {
  readonly path: string;
  readonly readsSnapshot: boolean;
  /** The file, for taking write turns with the process's other connections to it. */
  private readonly file: string;

  constructor(
    private readonly store: SqliteStore,
    private readonly lock: ConnectionLock,
  ) {
    this.path = store.path;
    this.readsSnapshot = store.readsSnapshot;
    this.file = fileKey(store.path);
    Object.assign(
      this,
      // A write waits for another process's write lock on timers (sqlite-writes.ts whenFree), never blocking the event loop.
      callsThrough(store, (step, call) => lock.run(() => (writes(call) ? inWriteTurn(this.file, () => store.whenFree(step)) : step()))),
    );
  }

  transaction<T>(fn: (tx: Registry) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    const guard = <R>(step: () => R): R => guardFaults(this.path, step);
    return this.lock.run(() => inWriteTurn(this.file, async () => {
      throwIfStopped(opts.signal, opts.doing ?? 'before the change began');
      // Waits for another process's write lock on timers: signals are handled, and `signal` ends the wait.
      await this.store.begin(opts.signal).catch((err: unknown) => {
        throw registryFault(err, this.path) ?? err;
      });
      const tx = new TransactionView(this.path, (guard) =>
        callsThrough(this.store, async (step) => {
          guard();
          return step();
        }),
      );
      try {
        const result = await fn(tx);
        // The last moment a signal can stop the change: COMMIT is synchronous from here.
        throwIfStopped(opts.signal, opts.doing ?? 'before the change was committed');
        guard(() => this.store.commit());
        return result;
      } catch (err) {
        // A commit that failed has rolled back already; rolling back again does nothing.
        throw guard(() => this.store.rollback(err));
      } finally {
        tx.end();
      }
    }));
  }

  /** One read transaction (never BEGIN IMMEDIATE): no write turn, so writers, here or elsewhere, go on. */
  readSnapshot<T>(fn: (snapshot: Registry) => Promise<T>): Promise<T> {
    return this.lock.run(async () => {
      guardFaults(this.path, () => this.store.beginRead());
      const view = new SnapshotView(this.path, callsThrough(this.store, async (step) => step()));
      try {
        return await fn(view);
      } finally {
        view.end();
        guardFaults(this.path, () => this.store.endRead());
      }
    });
  }

  close(): Promise<void> {
    // After the callers already waiting: closing under an open transaction would roll it back.
    // In a write turn: closing a read-write connection runs `PRAGMA optimize`, which may write.
    const close = () => guardFaults(this.path, () => this.store.close());
    return this.lock.run(() => (this.store.readonly ? close() : inWriteTurn(this.file, close)));
  }
}
