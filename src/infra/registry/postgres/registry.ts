import type { ClientBase } from 'pg';
import { InternalError, isPromptctlError } from '../../../core/errors.js';
import { systemClock, type Clock } from '../../clock.js';
import { ConnectionLock } from '../connection-lock.js';
import { SnapshotView } from '../snapshot-view.js';
import { TransactionView } from '../transaction-view.js';
import type { Registry, RegistryCall, RegistryStats, TransactionOptions } from '../types.js';
import { PgConnection } from './connection.js';
import { lockDecision } from './decision-lock.js';
import { READ_LOCK_WAIT_MS } from './lock-wait.js';
import type { ClientNotes } from './faults.js';
import type { PgTarget } from './pg-target.js';
import { chainAround } from './chain-around.js';
import { doingCall } from './call-words.js';
import { writes } from '../registry-calls.js';
import { appendEvent, chainHead, countEvents, eventsAt, firstSignedSeq, latestEvents, listEnvironments, listEvents, releases, verifyChain, versionReleases } from './events.js';
import { acquireLease, liveLease, releaseLease, renewLease } from './leases.js';
import { markTested, getTestedMark, getTestedMarks, listTestedMarks, revokeTestedMark } from './marks.js';
import { schemaVersion } from './migrate.js';
import { createRun, findResumableRun, finishRun, getCachedResponse, getCachedResponses, getRun, getSamples, listRuns, newestRuns, countCachedResponses, pruneCachedResponses, putCachedResponse, recordSamples, sampleDigests, sampleTally } from './runs.js';
import { missingPrivileges } from './privileges.js';
import { getOrCreateSecret } from './secrets.js';
import { serverTime } from './server-time.js';
import { inTransaction, rows, type Session } from './session.js';
import { runSettlingLostCommits } from './settle.js';
import { inReadSnapshot } from './snapshot.js';
import { getVersion, getVersions, listPromptIds, listSupersededVersions, listVersions, registerVersion, supersedeVersion } from './versions.js';

/**
 * The PostgreSQL registry behind the asynchronous `Registry` interface, with the SQLite one's
 * behaviour (the conformance suite runs both). Opening is synchronous and connects on first use;
 * that first use checks the server version and that the schema is this build's (else exit 3
 * naming `promptctl registry migrate`). Calls take turns on one connection (`ConnectionLock`),
 * and `transaction` holds it from BEGIN to COMMIT, exactly as the SQLite registry holds its own.
 */

export interface PostgresRegistryOptions {
  target: PgTarget;
  clock?: Pick<Clock, 'date'>;
  readonly?: boolean;
  /** How long a deploy or rollback waits for another's turn when the server sets no lock_timeout (ms; default 30 s). */
  decisionWaitMs?: number;
  /** signing.since from .promptrc.yaml: from this seq on, an unsigned event is refused. */
  signingSince?: number;
  /** How long a statement's answer may take (ms; default ANSWER_TIMEOUT_MS, `query_timeout` in the URL wins). */
  answerTimeoutMs?: number;
  /**
   * The server ends a statement that outlasts the answer timeout too (statement_timeout), so a
   * reader that gave up leaves no session waiting behind it (the library's reader; commands wait).
   */
  serverEndsLateStatements?: boolean;
  /** How long a read waits for a lock when the server sets no lock_timeout (ms; default READ_LOCK_WAIT_MS). */
  readLockWaitMs?: number;
  /** How long a write transaction waits for a lock when the server sets no lock_timeout (ms; default just under the answer timeout). */
  writeLockWaitMs?: number;
  /** The command's stop signal: it ends a wait for the server in progress (connecting; every call of a read-only registry; connection.ts). */
  signal?: AbortSignal;
}

type Impl = { [K in RegistryCall]: Registry[K] extends (...args: infer A) => infer R ? (s: Session, ...args: A) => R : never };

const CALLS: Impl = {
  registerVersion,
  getVersion,
  getVersions,
  supersedeVersion,
  listVersions,
  listSupersededVersions,
  listPromptIds,
  getOrCreateSecret,
  createRun,
  recordSamples,
  finishRun,
  getRun,
  listRuns,
  newestRuns,
  findResumableRun,
  getSamples,
  sampleTally,
  sampleDigests,
  acquireLease,
  renewLease,
  releaseLease,
  liveLease,
  getCachedResponse,
  getCachedResponses,
  putCachedResponse,
  countCachedResponses,
  pruneCachedResponses,
  markTested,
  revokeTestedMark,
  getTestedMark,
  getTestedMarks,
  listTestedMarks,
  appendEvent,
  listEvents,
  countEvents,
  latestEvents,
  releases,
  versionReleases,
  listEnvironments,
  verifyChain,
  chainHead,
  eventsAt,
  chainAround,
  firstSignedSeq,
  lockDecision,
  stats,
  missingPrivileges,
  time: serverTime,
};

/** The tables `registry info` counts, each readable by some of the least-privilege roles only (roles.ts). */
const COUNTED = ['prompt_versions', 'runs', 'samples', 'events', 'response_cache'] as const;

async function stats(s: Session): Promise<RegistryStats> {
  // A table the role may not read is not counted (null), rather than failing the whole command: the
  // deployer reads no cached answers, the reader no runs, and both still ask which schema version is there.
  const readable = await rows<{ t: string; ok: boolean }>(s, `SELECT t, has_table_privilege(format('%I.%I', $1::text, t), 'SELECT') AS ok FROM unnest($2::text[]) AS t`, [s.schema, [...COUNTED]]);
  const may = new Set(readable.filter((r) => r.ok).map((r) => r.t));
  const count = async (table: (typeof COUNTED)[number]) => (may.has(table) ? Number((await rows<{ n: string }>(s, `SELECT count(*) AS n FROM ${table}`))[0]!.n) : null);
  return {
    backend: 'postgres',
    location: s.where,
    schema: s.schema,
    schemaVersion: await schemaVersion(s.client, s.schema),
    counts: {
      versions: await count('prompt_versions'),
      runs: await count('runs'),
      samples: await count('samples'),
      testedMarks: may.has('events') ? (await listTestedMarks(s)).length : null,
      events: await count('events'),
      cachedResponses: await count('response_cache'),
    },
  };
}

export function openPostgresRegistry(opts: PostgresRegistryOptions): Registry {
  return new PostgresRegistry(new PgConnection(opts.target, opts.readonly ? 'version' : 'columns', opts.answerTimeoutMs, opts.serverEndsLateStatements, { readMs: opts.readLockWaitMs ?? READ_LOCK_WAIT_MS, writeMs: opts.writeLockWaitMs }, { signal: opts.signal, everyCall: opts.readonly }), opts.clock ?? systemClock, opts.readonly ?? false, opts.decisionWaitMs, opts.signingSince);
}

type Calls = Pick<Registry, RegistryCall>;

function callsOn(run: (call: (s: Session) => Promise<unknown>, name: RegistryCall) => Promise<unknown>): Calls {
  const calls: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
  for (const [name, impl] of Object.entries(CALLS) as Array<[RegistryCall, (s: Session, ...args: unknown[]) => Promise<unknown>]>) {
    calls[name] = (...args) => run((s) => impl(s, ...args), name);
  }
  return calls as unknown as Calls;
}

interface PostgresRegistry extends Calls {}

class PostgresRegistry implements Registry {
  readonly path: string;
  private readonly lock = new ConnectionLock();

  constructor(
    private readonly conn: PgConnection,
    private readonly clock: Pick<Clock, 'date'>,
    private readonly readonly: boolean,
    private readonly decisionWaitMs?: number,
    private readonly signingSince?: number,
  ) {
    this.path = conn.target.display;
    Object.assign(
      this,
      callsOn((call, name) => {
        const stoppable = this.nothingWritten(writes(name));
        return this.lock.run(() => runSettlingLostCommits(conn, () => conn.withClient(doingCall(name), (client, notes) => call(this.session(client, false, notes)), { stoppable })));
      }),
    );
  }

  /** Whether a write call or a transaction was begun on this registry yet. */
  private wrote = false;

  /**
   * Whether the stop signal ends a read (`writing` false) at once, as a read-only registry's
   * (connection.ts): until the first write, when nothing can have been recorded (eval's first
   * checks). From then on a read is waited for: eval, stopped, still records what arrived.
   */
  private nothingWritten(writing: boolean): boolean {
    if (writing) this.wrote = true;
    return !this.wrote;
  }

  private session(client: ClientBase, inTx: boolean, notes?: ClientNotes): Session {
    const { decisionWaitMs, signingSince } = this;
    return { client, inTransaction: inTx, readonly: this.readonly, where: this.path, schema: this.conn.target.schema, decisionWaitMs, writeBegin: this.conn.writeBegin(client), notes, signingSince, now: () => this.clock.date().toISOString() };
  }

  transaction<T>(fn: (tx: Registry) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    this.nothingWritten(true);
    const once = () =>
      this.conn.withClient('in a transaction', (client, notes) =>
        inTransaction(this.session(client, false, notes), async (s) => {
          if (this.readonly) throw new InternalError({ message: `the registry at ${this.path} was opened read-only and cannot be written` });
          const view = new TransactionView(this.path, (guard) =>
            callsOn(async (call, name) => {
              guard();
              // A fault names the call the transaction was in, as a call of its own is named; one
              // after it (COMMIT) is the transaction's own.
              notes.call = doingCall(name);
              try {
                const result = await call(s);
                notes.call = undefined;
                return result;
              } catch (err) {
                // promptctl's own refusal (a gate) the caller may catch and go on: a later fault is not this call's.
                if (isPromptctlError(err)) notes.call = undefined;
                throw err;
              }
            }),
          );
          try {
            return await fn(view);
          } finally {
            view.end();
          }
        }, opts),
      );
    return this.lock.run(() => runSettlingLostCommits(this.conn, once));
  }

  readSnapshot<T>(fn: (snapshot: Registry) => Promise<T>): Promise<T> {
    // inTransaction: no call may BEGIN its own inside it; readonly: none may write (the view refuses first).
    const stoppable = this.nothingWritten(false);
    return this.lock.run(() =>
      this.conn.withClient(
        'reading',
        (client) =>
          inReadSnapshot(client, async () => {
            const s: Session = { ...this.session(client, true), readonly: true };
            const view = new SnapshotView(this.path, callsOn((call) => call(s)));
            try {
              return await fn(view);
            } finally {
              view.end();
            }
          }),
        { stoppable },
      ),
    );
  }

  close(): Promise<void> {
    // After the callers already waiting: closing under an open transaction would cut it short.
    return this.lock.run(() => this.conn.close());
  }
}
