import type { AnchoredHead } from '../../core/audit-chain.js';
import type { RunTally } from '../../core/eval/aggregate.js';
import type { SigningRole } from '../../core/signing.js';

export type { AnchoredHead };
import type { RunRecord, RunSummary, SampleExchange, SampleResult } from '../../core/schemas/run.js';

/**
 * The one small interface every command uses to reach the registry. The SQLite implementation
 * lives beside it; a server-backed one (PostgreSQL, for teams) can implement the same interface
 * later without touching the commands, which is why every method returns a Promise even though
 * SQLite answers synchronously underneath.
 */

export interface VersionRecord {
  promptId: string;
  version: string;
  /** SHA-256 (hex) of the canonical content. */
  contentHash: string;
  /** Canonical JSON of the version's content. */
  content: string;
  description: string;
  author: string;
  createdAt: string;
}

export type RegisterOutcome =
  | { status: 'new' | 'same'; record: VersionRecord }
  /** The file no longer matches what was registered: a draft's new content, or an edited release (core/version-state.ts). */
  | { status: 'changed'; record: VersionRecord };

/** Which registered version a batched read asks for. */
export interface VersionKey {
  promptId: string;
  version: string;
}

/** Which tested mark a batched read asks for: the arguments of `getTestedMark`. */
export interface MarkKey extends VersionKey {
  contentHash: string;
  model: string;
}

/** Which (prompt, environment) a batched read of the newest event asks for. */
export interface EventKey {
  promptId: string;
  env: string;
}

export interface TestedMark {
  promptId: string;
  version: string;
  contentHash: string;
  model: string;
  /**
   * `run` when earned by running suites. (`override` was a mark forced by hand; marks are now
   * events of the chain, and an override deploys without making the version tested.)
   */
  source: 'run' | 'override';
  /** The runs that earned it; `samples` is their core/sample-digest (absent on marks from before it). */
  suites: Array<{ suite: string; kind: 'golden' | 'adversarial'; passRate: number; runId: string; samples?: string }>;
  invocationId?: string;
  /** Who ran the eval that earned it (the `tested` event's actor). */
  actor: string;
  /** The `tested` event it comes from: what a signed registry checks the signature of. */
  event?: { seq: number; action: string; hash: string; signer?: string; signature?: string };
  createdAt: string;
}

/**
 * deploy, rollback and override change an environment. tested and untested record a tested mark
 * earned or withdrawn, and supersede a never-deployed draft's new content: those are about no
 * environment (env '').
 */
export type EventAction = 'deploy' | 'rollback' | 'override' | 'tested' | 'untested' | 'supersede';

/** Signs an event's hash with one role's key (made by infra/signing.ts from the environment). */
export interface EventSigner {
  role: SigningRole;
  keyId: string;
  sign(hash: string): string;
}

export interface NewEvent {
  env: string;
  promptId: string;
  version: string;
  previousVersion: string | null;
  action: EventAction;
  actor: string;
  reason: string | null;
  /** Extra structured detail, e.g. the gate reasons an override skipped. */
  detail?: Record<string, unknown>;
  /** The content hash of `version` the event is about; inside the event's hash. */
  contentHash?: string;
  /** Signs the event's hash with the role's key (infra/signing.ts); the signature is stored beside it. */
  sign?: EventSigner;
  /**
   * Made once per command invocation, before its transaction, and reused when it is retried: an
   * append whose key is already recorded returns that event instead of appending a second one.
   * Stored beside the event, outside its hash, and not read back into `AuditEvent`.
   */
  idempotencyKey?: string;
}

export interface AuditEvent extends Omit<NewEvent, 'sign'> {
  /** `<role>:<key id>` and the base64url Ed25519 signature of `hash`, on a signed event. */
  signer?: string;
  signature?: string;
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

export interface EventFilter {
  promptId?: string;
  env?: string;
  /** Only events that changed an environment (deploy, rollback, override), not tested marks. */
  environments?: boolean;
  /** Only events naming this version (with `promptId`): a version's own events, without reading its prompt's whole history. */
  version?: string;
  /** The latest N (after the filters above). */
  limit?: number;
}

export interface ChainVerdict {
  ok: boolean;
  events: number;
  /** `audit verify`: events signed per role, unsigned ones, and the first signed event. */
  signatures?: { evaluator: number; deployer: number; unsigned: number; since?: number };
  /** The first event whose hash or link does not verify, with why. */
  broken?: { seq: number; problem: string };
}

export interface CachedResponse {
  output: string;
  latencyMs: number;
  tokensIn: number;
  tokensOut: number;
  /** Tool calls and earlier turns of the exchange (SampleResult.exchange), when it had any. */
  exchange?: SampleExchange;
}

/**
 * The answer to `acquireLease`: granted until `expiresAt`, or refused because `holder` holds a live
 * lease on the run until `expiresAt`.
 */
export type LeaseOutcome = { ok: true; expiresAt: string } | { ok: false; holder: string; expiresAt: string };

/** What `promptctl registry info` shows. */
/** Which of a run's samples to read: those of these case ids. */
export interface SamplePage {
  caseIds: readonly string[];
}

export interface RegistryStats {
  backend: 'sqlite' | 'postgres';
  /** The file, or the URL without its password. */
  location: string;
  schemaVersion: number;
  counts: { versions: number; runs: number; samples: number; testedMarks: number; events: number; cachedResponses: number };
}

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
   */
  transaction<T>(fn: (tx: Registry) => Promise<T>): Promise<T>;

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
  /** Every prompt id the registry knows (registered versions or audit events). */
  listPromptIds(): Promise<string[]>;

  /** A random secret kept in the registry (e.g. to derive adversarial canaries); created on first use. */
  getOrCreateSecret(name: string): Promise<string>;

  createRun(run: Omit<RunRecord, 'status' | 'endedAt' | 'summary'>): Promise<void>;
  /**
   * Writes a batch of sample results in one transaction, with the response-cache rows of their
   * answers (so a killed run never has an answer cached but not recorded, or the reverse): one
   * call per batch, never one per row. Re-writing a sample replaces it.
   */
  recordSamples(samples: SampleResult[], cacheRows?: Array<{ key: string; response: CachedResponse }>): Promise<void>;
  finishRun(runId: string, status: 'finished' | 'aborted', summary: RunSummary, endedAt: string): Promise<void>;
  getRun(runId: string): Promise<RunRecord | undefined>;
  listRuns(filter: { promptId?: string; version?: string; suite?: string; status?: RunRecord['status'] }): Promise<RunRecord[]>;
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
  /** core/sample-digest of a run's samples: what a tested mark records, and `audit verify` recomputes. */
  sampleDigest(runId: string): Promise<string>;

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

  getCachedResponse(key: string): Promise<CachedResponse | undefined>;
  /** The cached answers among `keys`, in one read (a fully cached re-run asks for thousands). */
  getCachedResponses(keys: readonly string[]): Promise<Map<string, CachedResponse>>;
  putCachedResponse(key: string, response: CachedResponse): Promise<void>;

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
  verifyChain(): Promise<ChainVerdict>;
  /**
   * The recorded chain head (last seq and hash) and the time of that event (null when the event is
   * gone): what `audit head` prints and `audit verify --since` checks a later log against.
   */
  chainHead(): Promise<AnchoredHead | null>;
  /** The events with these sequence numbers (those that exist), in seq order. */
  eventsAt(seqs: number[]): Promise<AuditEvent[]>;

  /**
   * Inside `transaction`: holds the decision about `promptId` in `env` (gates, rollback planning)
   * until the transaction ends, so two processes deciding about the same prompt and environment
   * take turns, while other prompts and environments go on. SQLite's write transaction already
   * serialises every writer, so there it does nothing; PostgreSQL takes a transaction-level advisory lock.
   */
  lockDecision(promptId: string, env: string): Promise<void>;

  /** The backend, its schema version and how many rows each kind of record has. */
  stats(): Promise<RegistryStats>;

  close(): Promise<void>;
}

/** The registry's calls, without the connection-level ones (`path`, `transaction`, `close`). */
export type RegistryCall = Exclude<keyof Registry, 'path' | 'transaction' | 'close'>;
