import type { AnchoredHead, ChainHead } from '../../core/audit-chain.js';
import type { RunTally } from '../../core/eval/aggregate.js';
import type { SampleDigests } from '../../core/sample-digest.js';
import type { RunRecord, RunSummary, SampleResult } from '../../core/schemas/run.js';
import type { VersionRecord, RegisterOutcome, VersionKey, MarkKey, EventKey, TestedMark, EventSigner, NewEvent, AuditEvent, EventFilter, ChainVerdict, CachedResponse, LeaseOutcome, SamplePage, RegistryStats, PrunedCache } from './records.js';
import type { SampleFence } from './lease-fence.js';
import type { VersionReleases } from './version-releases.js';
export type { VersionReleases };

/** The jobs whose privileges a command checks before writing (`Registry.missingPrivileges`). */
export type PrivilegeJob = 'eval' | 'deploy' | 'rollback';
export type { AnchoredHead };

/** The events at some sequence numbers and the chain head, as one snapshot saw them (`Registry.chainAround`). */
export interface ChainAround {
  events: AuditEvent[];
  head: ChainHead | null;
}
// Explicit names, not `export type *`: declaration files stay readable by TypeScript before 5.0.
export type { VersionRecord, RegisterOutcome, VersionKey, MarkKey, EventKey, TestedMark, EventAction, EventSigner, NewEvent, AuditEvent, EventFilter, ChainVerdict, CachedResponse, LeaseOutcome, SamplePage, RegistryStats, PrunedCache } from './records.js';

/**
 * The one small interface every command uses to reach the registry. The SQLite implementation
 * lives beside it; a server-backed one (PostgreSQL, for teams) can implement the same interface
 * later without touching the commands, which is why every method returns a Promise even though
 * SQLite answers synchronously underneath. What it stores and answers with is in records.ts.
 */
export interface Registry {
  /** Where the registry is, as people may see it: the file, or the URL without its password. */
  readonly path: string;

  /**
   * Runs `fn` in one write transaction, so read-decide-write is atomic across processes and
   * across concurrent callers in this one. Every read and write of the read-decide-write goes
   * through `tx`, a view bound to the open transaction (for a server backend, the checked-out
   * client); other calls on this registry wait until the transaction ends (so `fn` must never
   * await the registry itself: that call would wait for `fn`). Calling
   * `tx.transaction` runs the inner `fn` inside the open transaction (no savepoint: a failure
   * that escapes it rolls back the whole transaction). `tx` must not be used after `fn` settles.
   *
   * With `signal`: aborted before COMMIT is sent (before the transaction, while it waits for a
   * lock, or once `fn` returned), the transaction is rolled back and `InterruptedError` thrown;
   * once COMMIT is sent the change stands whatever the signal does (stopped.ts).
   */
  transaction<T>(fn: (tx: Registry) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  /**
   * Runs `fn` on one read-only snapshot of the registry: every read through `snapshot` sees the
   * registry as it was at the first one, whatever other connections commit meanwhile (PostgreSQL:
   * one REPEATABLE READ READ ONLY transaction; SQLite: one deferred read transaction). For readers
   * that check records against each other (`audit verify`): read apart, a deploy or mark committed
   * between two reads looks like tampering. Takes no lock that blocks writers; other calls on this
   * registry wait until it ends, as for `transaction`. Writes through `snapshot` are refused; a
   * nested `readSnapshot` runs in the same snapshot. Not available inside `transaction`.
   */
  readSnapshot<T>(fn: (snapshot: Registry) => Promise<T>): Promise<T>;

  registerVersion(v: Omit<VersionRecord, 'createdAt'>): Promise<RegisterOutcome>;
  getVersion(promptId: string, version: string): Promise<VersionRecord | undefined>;
  /**
   * Replaces a registered version's content, keeping the old record in `superseded_versions`
   * (each content once, however often a draft goes back to it). Only for a draft, a version never
   * deployed (core/version-state.ts; infra/version-states.ts settles drafts for eval, deploy and ci);
   * refuses (returns undefined) when an environment event names it.
   * The swap is a `supersede` event of the chain, by `actor`.
   */
  supersedeVersion(v: Omit<VersionRecord, 'createdAt'>, actor: string, sign?: EventSigner): Promise<{ superseded: VersionRecord; record: VersionRecord } | undefined>;
  /**
   * `getVersion` of every key at once (one read on a server), answered in the order asked:
   * undefined where the version is not registered. For readers that show many prompts (status).
   */
  getVersions(keys: readonly VersionKey[]): Promise<Array<VersionRecord | undefined>>;
  listVersions(promptId?: string): Promise<VersionRecord[]>;
  /**
   * Every earlier content of a draft kept by `supersedeVersion` (each as it was registered, under
   * the hash it had), in no particular order: what `audit verify` re-hashes, and where the contents
   * that mark and supersede events name are found once a draft moved on.
   */
  listSupersededVersions(): Promise<VersionRecord[]>;
  /** Every prompt id the registry knows (registered versions or audit events). */
  listPromptIds(): Promise<string[]>;

  /** A random secret kept in the registry (e.g. to derive adversarial canaries); created on first use. */
  getOrCreateSecret(name: string): Promise<string>;

  /**
   * `startedAt` (and `finishRun`'s `endedAt`) is this process's time; a registry shared by machines
   * records its own clock's instead (PostgreSQL: the server's), so that which run is newest never
   * depends on whose clock ran ahead.
   */
  createRun(run: Omit<RunRecord, 'status' | 'endedAt' | 'summary'>): Promise<void>;
  /**
   * Writes a batch of sample results in one transaction, with the response-cache rows of their
   * answers (so a killed run never has an answer cached but not recorded, or the reverse): one
   * call per batch, never one per row. Re-writing a sample replaces it. With `fence`, a run's
   * samples are written only while `fence.holder` holds its lease (checked in the same write, so a
   * takeover committing meanwhile is seen): the rest of the batch and the cache rows are written,
   * and the call rejects with `LeaseNotHeldError` naming the first run refused (lease-fence.ts).
   */
  recordSamples(samples: SampleResult[], cacheRows?: Array<{ key: string; response: CachedResponse }>, fence?: SampleFence): Promise<void>;
  finishRun(runId: string, status: 'finished' | 'aborted', summary: RunSummary, endedAt: string): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  listRuns(filter: { promptId?: string; version?: string; suite?: string; status?: RunRecord['status']; invocationId?: string }): Promise<RunRecord[]>;
  /**
   * The newest `limit` runs asked of any of `models` (a run's model name; undefined: any model), in
   * listRuns' order (oldest first): what a name serves now, or which invocation is the latest, is
   * read from the newest runs, never from every run of the registry (served-roots.ts, report-runs.ts).
   */
  newestRuns(models: readonly string[] | undefined, limit: number): Promise<RunRecord[]>;
  /** The newest unfinished run with these inputs, to resume. */
  findResumableRun(inputsKey: string): Promise<RunRecord | undefined>;
  /**
   * A run's samples in the order recorded; with `caseIds`, only those cases' samples (a page), so a
   * reader of a large run holds one page of outputs at a time.
   */
  getSamples(runId: string, page?: SamplePage): Promise<SampleResult[]>;
  /**
   * A run's samples counted per case (verdicts, leaks, tokens) and the latencies of the answered
   * ones, aggregated by the database: what a gate recomputes a run's summary from, since a stored
   * summary is only a claim about the samples.
   */
  sampleTally(runId: string): Promise<RunTally>;
  /** core/sample-digest's fingerprints of a run's samples: what a tested mark records, and `audit verify` recomputes. */
  sampleDigests(runId: string): Promise<SampleDigests>;

  /**
   * Run leases: only the holder of a run's live lease sends its samples, so two processes that
   * resume one run never send a case twice. Times are ISO text from the registry's clock. Taken
   * when the run has no lease, when its lease has expired (its holder crashed or stalled), when
   * `holder` already holds it, or when it is held by `opts.takeOverFrom` (a holder known to be
   * gone); otherwise refused with the live holder. Atomic: of two callers at once, one gets it.
   */
  acquireLease(runId: string, holder: string, ttlMs: number, opts?: { takeOverFrom?: string }): Promise<LeaseOutcome>;
  /** Extends `holder`'s lease to now + ttlMs; false when it no longer holds it (released, or taken over after it expired). */
  renewLease(runId: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Drops `holder`'s lease on the run (nothing when someone else holds it). */
  releaseLease(runId: string, holder: string): Promise<void>;
  /** The run's live lease (unexpired by the registry's clock, as `acquireLease` judges it), or undefined; reads only. */
  liveLease(runId: string): Promise<{ holder: string; expiresAt: string } | undefined>;

  getCachedResponse(key: string): Promise<CachedResponse | undefined>;
  /** The cached answers among `keys`, in one read (a fully cached re-run asks for thousands). */
  getCachedResponses(keys: readonly string[]): Promise<Map<string, CachedResponse>>;
  putCachedResponse(key: string, response: CachedResponse): Promise<void>;
  /** The cached answers cached before `before` (an ISO time; every answer when undefined): how many, and their stored bytes. */
  countCachedResponses(before?: string): Promise<PrunedCache>;
  /**
   * Removes the answers `countCachedResponses(before)` counts, and says what went. Runs keep their
   * own samples, so nothing recorded is lost: an eval asks the server again for what it no longer finds.
   */
  pruneCachedResponses(before?: string): Promise<PrunedCache>;

  /**
   * Records a tested mark as a `tested` event of the audit chain (nothing when the same mark, on
   * the same runs, already counts), so a mark is as tamper-evident as a deploy.
   */
  markTested(mark: Omit<TestedMark, 'createdAt' | 'source' | 'event'> & { sign?: EventSigner }): Promise<void>;
  /**
   * Withdraws a mark once a suite that applies no longer passes on its current content: an
   * `untested` event. The runs that earned it stay; the mark is derived.
   */
  revokeTestedMark(promptId: string, version: string, contentHash: string, model: string, actor: string, sign?: EventSigner): Promise<boolean>;
  /** The mark that counts: the newest tested/untested event of the chain with this content hash and model. */
  getTestedMark(promptId: string, version: string, contentHash: string, model: string): Promise<TestedMark | undefined>;
  /** `getTestedMark` of every key at once (one read on a server), in the order asked. */
  getTestedMarks(keys: readonly MarkKey[]): Promise<Array<TestedMark | undefined>>;
  listTestedMarks(promptId?: string): Promise<TestedMark[]>;

  /** Appends to the hash-chained, append-only log. Call inside `transaction` when the write depends on a read. */
  appendEvent(e: NewEvent): Promise<AuditEvent>;
  listEvents(filter?: EventFilter): Promise<AuditEvent[]>;
  /** How many events `listEvents(filter)` returns without its limit, counted in the query, not read. */
  countEvents(filter?: Omit<EventFilter, 'limit'>): Promise<number>;
  /**
   * The newest event of each (prompt, env) at once, what `listEvents({ promptId, env, limit: 1 })`
   * returns for each (one read on a server), in the order asked: undefined where there is none.
   */
  latestEvents(keys: readonly EventKey[]): Promise<Array<AuditEvent | undefined>>;
  /**
   * Where the prompt's versions were released: each (version, environment) pair that some
   * deploy, rollback or override names, once, ordered by version then environment. What
   * `listEvents({ promptId, environments: true })` says of releases, without reading every event.
   */
  releases(promptId: string): Promise<Array<{ version: string; env: string }>>;
  /**
   * Each version of the prompt some environment event names: its environments and the oldest of
   * those events that recorded a content hash. What a version's state reads of
   * `listEvents({ promptId, environments: true })` (version-releases.ts), without reading every event.
   */
  versionReleases(promptId: string): Promise<VersionReleases[]>;
  /** Every environment some deploy, rollback or override names, sorted by code point (configured or not). */
  listEnvironments(): Promise<string[]>;
  verifyChain(): Promise<ChainVerdict>;
  /**
   * The recorded chain head (last seq and hash) and the time of that event (null when the event is
   * gone): what `audit head` prints and `audit verify --since` checks a later log against.
   */
  chainHead(): Promise<AnchoredHead | null>;
  /** The events with these sequence numbers (those that exist), in seq order. */
  eventsAt(seqs: number[]): Promise<AuditEvent[]>;
  /**
   * `eventsAt(seqs)` and the recorded chain head (seq and hash) read in one snapshot: what shown
   * events are checked against (shown-events.ts). Two separate reads race a concurrent append (the
   * head names an event the first read did not see), which would look like deleted events.
   */
  chainAround(seqs: number[]): Promise<ChainAround>;
  /** The seq of the first signed event, if any: where the log says signing began (core/signing.ts `signingStart`). */
  firstSignedSeq(): Promise<number | undefined>;

  /**
   * Inside `transaction`: holds the decision about `promptId` in `env` (gates, rollback planning)
   * until the transaction ends, so two processes deciding about the same prompt and environment
   * take turns, while other prompts and environments go on. SQLite's write transaction already
   * serialises every writer, so there it does nothing; PostgreSQL takes a transaction-level advisory lock.
   */
  lockDecision(promptId: string, env: string): Promise<void>;

  /** The backend, its schema version and how many rows each kind of record has. */
  stats(): Promise<RegistryStats>;
  /**
   * The registry's time now (ISO): the clock its writers date records by, so what is compared with
   * recorded times is read from it. PostgreSQL: the server's, which every machine of a team shares;
   * SQLite (one machine): this process's clock.
   */
  time(): Promise<string>;
  /**
   * What the connection may not do of what `job` writes, as "INSERT on runs": `eval` (runs, samples,
   * the response cache, run leases), `deploy` (deploy and promote: an event after reading the runs
   * the gates judge) and `rollback` (an event). Asked before the command writes anything, so a role
   * that may not do the job is refused with nothing written. Empty for SQLite (a file it cannot
   * write fails at once).
   */
  missingPrivileges(job: PrivilegeJob): Promise<string[]>;

  close(): Promise<void>;
}

export interface TransactionOptions {
  /** Stops the change until its COMMIT is sent (see `Registry.transaction`). */
  signal?: AbortSignal;
  /** The change, as the interruption names it on either backend (`deploying support@1.2.0 to staging`). */
  doing?: string;
}

/** The registry's calls, without the connection-level ones (`path`, `transaction`, `readSnapshot`, `close`). */
export type RegistryCall = Exclude<keyof Registry, 'path' | 'transaction' | 'readSnapshot' | 'close'>;
