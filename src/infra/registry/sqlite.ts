import { InternalError } from '../../core/errors.js';
import { systemClock, type Clock } from '../clock.js';
import { ConnectionLock } from './connection-lock.js';
import { openSqliteStore, type RegistryCall, type SqliteStore } from './sqlite-store.js';
import type { Registry } from './types.js';

/**
 * The SQLite registry behind the asynchronous `Registry` interface. better-sqlite3 answers
 * synchronously, so each call is one synchronous step taken when the connection is free; a
 * transaction holds the connection across its awaits (BEGIN IMMEDIATE ... COMMIT), and every
 * other call on this registry waits its turn, so nothing interleaves with a read-decide-write.
 */

export interface SqliteRegistryOptions {
  path: string;
  /** Wall-clock time for what is recorded (created_at, event times); the system clock by default. */
  clock?: Pick<Clock, 'date'>;
  /** Open without taking write locks (e.g. an application reading the active version). */
  readonly?: boolean;
}

export function openSqliteRegistry(opts: SqliteRegistryOptions): Registry {
  const store = openSqliteStore(opts.path, opts.clock ?? systemClock, opts.readonly ?? false);
  return new SqliteRegistry(store, new ConnectionLock());
}

// Written out (not derived at run time) so the compiler checks the list covers every call.
const CALLS: Record<RegistryCall, true> = {
  registerVersion: true,
  getVersion: true,
  supersedeVersion: true,
  listVersions: true,
  listPromptIds: true,
  getOrCreateSecret: true,
  createRun: true,
  recordSamples: true,
  finishRun: true,
  getRun: true,
  listRuns: true,
  findResumableRun: true,
  getSamples: true,
  sampleTally: true,
  getCachedResponse: true,
  putCachedResponse: true,
  markTested: true,
  revokeTestedMark: true,
  getTestedMark: true,
  listTestedMarks: true,
  appendEvent: true,
  listEvents: true,
  verifyChain: true,
  lockDecision: true,
  stats: true,
};

type Step = <T>(step: () => T) => Promise<T>;

/** The registry's calls over `store`, each one synchronous step passed through `take`. */
function callsThrough(store: SqliteStore, take: Step): Pick<Registry, RegistryCall> {
  const calls: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const name of Object.keys(CALLS) as RegistryCall[]) {
    const method = store[name] as (...args: unknown[]) => unknown;
    calls[name] = (...args) => take(() => method.apply(store, args));
  }
  return calls as unknown as Pick<Registry, RegistryCall>;
}

interface SqliteRegistry extends Pick<Registry, RegistryCall> {}

class SqliteRegistry implements Registry {
  readonly path: string;

  constructor(
    private readonly store: SqliteStore,
    private readonly lock: ConnectionLock,
  ) {
    this.path = store.path;
    Object.assign(this, callsThrough(store, (step) => lock.run(step)));
  }

  transaction<T>(fn: (tx: Registry) => Promise<T>): Promise<T> {
    return this.lock.run(async () => {
      this.store.begin();
      const tx = new TransactionView(this.store);
      try {
        const result = await fn(tx);
        this.store.commit();
        return result;
      } catch (err) {
        // A commit that failed has rolled back already; rolling back again does nothing.
        throw this.store.rollback(err);
      } finally {
        tx.end();
      }
    });
  }

  close(): Promise<void> {
    // After the callers already waiting: closing under an open transaction would roll it back.
    return this.lock.run(() => this.store.close());
  }
}

interface TransactionView extends Pick<Registry, RegistryCall> {}

/**
 * What `transaction` hands to `fn`: the same calls, run directly on the connection the
 * transaction holds (taking the lock again would wait for the transaction itself).
 */
class TransactionView implements Registry {
  readonly path: string;
  private open = true;

  constructor(store: SqliteStore) {
    this.path = store.path;
    Object.assign(
      this,
      callsThrough(store, async (step) => {
        if (!this.open) throw this.ended();
        return step();
      }),
    );
  }

  /** Nested: runs inside the transaction already open (documented on `Registry.transaction`). */
  async transaction<T>(fn: (tx: Registry) => Promise<T>): Promise<T> {
    if (!this.open) throw this.ended();
    return fn(this);
  }

  async close(): Promise<void> {
    throw new InternalError({ message: `a transaction on the registry at ${this.path} cannot close the registry; close the registry itself` });
  }

  end(): void {
    this.open = false;
  }

  private ended(): InternalError {
    return new InternalError({ message: `a transaction on the registry at ${this.path} was used after it ended` });
  }
}
