import type { SignatureBreak, SigningRole } from '../../core/signing.js';
import type { Grading, SampleExchange } from '../../core/schemas/run.js';

/** What the registry stores and answers with: the records `Registry` (types.ts) reads and writes. */

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
  /**
   * The runs that earned it; `samples` is their core/sample-digest, `suiteHash` the suite content
   * they ran, `settings` their request settings (core/eval/settings-key.ts) and `grading` how they
   * were graded where a judge grades them (core/eval/grading.ts; absent also for suites without a
   * judge), each absent on marks from before it.
   */
  suites: Array<{ suite: string; kind: 'golden' | 'adversarial'; passRate: number; runId: string; suiteHash?: string; samples?: string; outputs?: string; settings?: string; grading?: Grading }>;
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
  /**
   * The chain head's seq the change's decision read (0: no event yet): an append that finds newer
   * events refuses instead of recording a decision made on an older log (decided-on.ts). Not stored.
   */
  decidedOn?: number;
}

export interface AuditEvent extends Omit<NewEvent, 'sign' | 'decidedOn'> {
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
  /** Only events at or after this time (ISO-8601, as events record `at`). */
  since?: string;
  /** Only events of these actions. */
  actions?: readonly EventAction[];
  /** The latest N (after the filters above). */
  limit?: number;
}

export interface ChainVerdict {
  ok: boolean;
  events: number;
  /**
   * `audit verify`: events signed per role, unsigned ones, the first signed event (`since`),
   * signing.since from .promptrc.yaml (`anchoredSince`) and whether the project pins any key.
   */
  signatures?: { evaluator: number; deployer: number; unsigned: number; since?: number; anchoredSince?: number; pinned?: boolean };
  /** `audit verify`: what holds but deserves a look (an event dated before the one it follows). */
  warnings?: string[];
  /**
   * The first event whose hash or link does not verify, with why; `key` when what breaks is the
   * standing of the key that signed it (not pinned, or retired before it), not the event itself.
   * `kind`: what broke: the hash chain (also when absent), an event's signature, or a record the
   * chain points at (a registered version's content, a marked run's summary or samples).
   */
  broken?: { seq: number; problem: string; kind?: 'chain' | 'signature' | 'record'; key?: SignatureBreak['key'] };
}

export interface CachedResponse {
  output: string;
  latencyMs: number;
  tokensIn: number;
  tokensOut: number;
  /** Tool calls and earlier turns of the exchange (SampleResult.exchange), when it had any. */
  exchange?: SampleExchange;
  /**
   * The weights that gave the answer: the `root` the server reported for the model when it was
   * asked (absent when it reported none, and on answers cached before 0.2.0).
   */
  root?: string;
}

/** What `pruneCachedResponses` removed (or, in a dry run, would remove): answers and their stored bytes. */
export interface PrunedCache {
  answers: number;
  bytes: number;
}

/**
 * The answer to `acquireLease`: granted until `expiresAt`, or refused because `holder` holds a live
 * lease on the run until `expiresAt`.
 */
export type LeaseOutcome = { ok: true; expiresAt: string } | { ok: false; holder: string; expiresAt: string };

/** Which of a run's samples to read: those of these case ids. */
export interface SamplePage {
  caseIds: readonly string[];
}

/** What `promptctl registry info` shows. */
export interface RegistryStats {
  backend: 'sqlite' | 'postgres';
  /** The file, or the URL without its password. */
  location: string;
  /** PostgreSQL: the schema that holds the registry (one database may hold several, one per repository). */
  schema?: string;
  schemaVersion: number;
  /** SQLite: no file at the path yet (a project that has recorded nothing): the counts and schema version are those of the empty registry the first record creates. */
  noFileYet?: true;
  /** Rows of each table; null where the role may not read the table (PostgreSQL's least-privilege roles: `registry roles`). */
  counts: { versions: number | null; runs: number | null; samples: number | null; testedMarks: number | null; events: number | null; cachedResponses: number | null };
}
