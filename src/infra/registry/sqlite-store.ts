import type { Clock } from '../clock.js';
import type Database from 'better-sqlite3';
import { secretMissingReadOnly } from './secret-missing.js';
import { ResponseCache } from './sqlite-cache.js';
import { EventLog } from './sqlite-events.js';
import { LeaseStore } from './sqlite-leases.js';
import { versionAndMarkCalls, type VersionAndMarkCalls } from './sqlite-marks.js';
import { readsSnapshot } from './sqlite-driver.js';
import { openDatabase, type OpenNotices } from './sqlite-open.js';
import { runCalls, type RunCalls } from './sqlite-run-calls.js';
import { RunStore } from './sqlite-runs.js';
import { SecretStore } from './sqlite-secrets.js';
import { VersionStore } from './sqlite-versions.js';
import { WriteTransactions } from './sqlite-writes.js';
import type { AuditEvent, EventKey, Registry, RegistryCall, RegistryStats, VersionReleases } from './types.js';

/**
 * The synchronous core of the SQLite registry (better-sqlite3, WAL): the registry's calls as
 * plain functions on one connection. Every multi-step write runs in one BEGIN IMMEDIATE
 * transaction, or in a savepoint of the transaction already open, so two promptctl processes
 * never interleave a read-decide-write, and a process killed mid-write leaves the old state or
 * the new one, never half. `sqlite.ts` puts the asynchronous `Registry` over it.
 */

export type { RegistryCall };

/** The same calls answering synchronously: SQLite needs no waiting, so no promise per statement. */
export type SyncRegistry = {
  [K in RegistryCall]: Registry[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : never;
};

export function openSqliteStore(path: string, clock: Pick<Clock, 'date'>, readonly: boolean, signingSince?: number, notices?: OpenNotices, busyTimeoutMs?: number, library?: boolean): SqliteStore {
  return new SqliteStore(openDatabase(path, readonly, notices, busyTimeoutMs, library), path, clock, readonly, signingSince);
}

// The version and mark calls (sqlite-marks.ts) and the run, lease and cache calls (sqlite-run-calls.ts)
// are put on each store by its constructor, as sqlite.ts puts the calls on its registry: one place
// decides them, with no forwarding method per call here.
export interface SqliteStore extends VersionAndMarkCalls, RunCalls {}

/** How long `PRAGMA optimize` on close waits for another process's write lock before it is skipped. */
const OPTIMIZE_BUSY_TIMEOUT_MS = 100;

export class SqliteStore implements SyncRegistry {
  private readonly events: EventLog;
  private readonly secrets: SecretStore;
  private readonly writes: WriteTransactions;
  private closed = false;
  /** Whether the file is read as a snapshot (sqlite-driver.ts openSnapshot), blind to later changes. */
  readonly readsSnapshot: boolean;

  constructor(
    private readonly db: Database.Database,
    readonly path: string,
    private readonly clock: Pick<Clock, 'date'>,
    readonly readonly: boolean,
    signingSince?: number,
  ) {
    this.readsSnapshot = readsSnapshot(db);
    this.events = new EventLog(db, clock, signingSince);
    this.secrets = new SecretStore(db);
    const versions = new VersionStore(db);
    this.writes = new WriteTransactions(db, path, readonly);
    Object.assign(this, versionAndMarkCalls({ versions, events: this.events, writes: this.writes, clock }));
    Object.assign(this, runCalls({ runs: new RunStore(db), leases: new LeaseStore(db), cache: new ResponseCache(db), writes: this.writes, clock }));
  }

  /** Opens a write transaction that stays open until `commit` or `rollback` (for `Registry.transaction`); `signal` ends the wait for the lock. */
  begin(signal?: AbortSignal): Promise<void> {
    return this.writes.begin(signal);
  }

  /** Runs a writing call once the write lock is free, waiting without blocking the event loop (sqlite-writes.ts). */
  whenFree<T>(call: () => T): Promise<T> {
    return this.writes.whenFree(call);
  }

  commit(): void {
    this.writes.commit();
  }

  /** Undoes the open transaction after `err`, and returns the error to throw (a busy one as exit 3). */
  rollback(err?: unknown): unknown {
    return this.writes.rollback(err);
  }

  /** For `Registry.readSnapshot`: a deferred BEGIN takes no lock until the first read, then a WAL snapshot writers never wait for. */
  beginRead(): void {
    this.db.exec('BEGIN');
  }

  /** Nothing was written: rolling back only lets the snapshot go. */
  endRead(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  /** One write: its own BEGIN IMMEDIATE transaction, or a savepoint inside the one already open. */
  transaction<T>(fn: () => T): T {
    return this.writes.run(fn);
  }

  appendEvent(e: Parameters<Registry['appendEvent']>[0]): ReturnType<SyncRegistry['appendEvent']> {
    return this.transaction(() => this.events.append(e));
  }

  listEvents(filter?: Parameters<Registry['listEvents']>[0]): ReturnType<SyncRegistry['listEvents']> {
    return this.events.listEvents(filter);
  }

  countEvents(filter?: Parameters<Registry['countEvents']>[0]): number {
    return this.events.countEvents(filter);
  }

  releases(promptId: string): Array<{ version: string; env: string }> {
    return this.events.releases(promptId);
  }

  versionReleases(promptId: string): VersionReleases[] {
    return this.events.versionReleases(promptId);
  }

  listEnvironments(): string[] {
    return this.events.environments();
  }

  latestEvents(keys: readonly EventKey[]): Array<AuditEvent | undefined> {
    return this.events.latest(keys);
  }

  verifyChain(): ReturnType<SyncRegistry['verifyChain']> {
    return this.events.verify();
  }

  chainHead(): ReturnType<SyncRegistry['chainHead']> {
    return this.events.chainHead();
  }

  eventsAt(seqs: number[]): ReturnType<SyncRegistry['eventsAt']> {
    return this.events.eventsAt(seqs);
  }

  chainAround(seqs: number[]): ReturnType<SyncRegistry['chainAround']> {
    return this.events.chainAround(seqs);
  }

  firstSignedSeq(): ReturnType<SyncRegistry['firstSignedSeq']> {
    return this.events.firstSignedSeq();
  }

  /** BEGIN IMMEDIATE already serialises every write transaction: nothing more to hold. */
  lockDecision(): void {}

  missingPrivileges(): string[] {
    return [];
  }

  time(): string {
    return this.now();
  }

  stats(): RegistryStats {
    const count = (table: string) => this.db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get() ?? 0;
    return {
      backend: 'sqlite',
      location: this.path,
      schemaVersion: this.db.pragma('user_version', { simple: true }) as number,
      counts: {
        versions: count('prompt_versions'),
        runs: count('runs'),
        samples: count('samples'),
        // The marks that count (events of the chain); tested_marks rows of older registries count for nothing.
        testedMarks: this.listTestedMarks().length,
        events: count('events'),
        cachedResponses: count('response_cache'),
      },
    };
  }

  /** A random 256-bit hex secret named `name`, created on first use and stable afterwards. */
  getOrCreateSecret(name: string): string {
    const existing = this.secrets.get(name);
    if (existing !== undefined) return existing;
    if (this.readonly) throw secretMissingReadOnly(this.path, name);
    return this.transaction(() => this.secrets.get(name) ?? this.secrets.create(name, this.now()));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.readonly) {
      // Keeps the query planner's statistics fresh as the registry grows; cheap when nothing changed.
      // It may write, so it waits for another process's write at most briefly: a command's exit
      // never waits out the busy timeout for statistics (the next close refreshes them).
      try {
        this.db.pragma(`busy_timeout = ${OPTIMIZE_BUSY_TIMEOUT_MS}`);
        this.db.pragma('optimize');
      } catch {
        // Best effort: a locked database must not turn a successful command into a failure.
      }
    }
    this.db.close();
  }

  private now(): string {
    return this.clock.date().toISOString();
  }
}
