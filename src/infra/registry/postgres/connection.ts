import type { ClientBase, Pool, PoolClient } from 'pg';
import { loadPg } from './load-pg.js';
import { errorCode, InterruptedError } from '../../../core/errors.js';
import { pgFault, type ClientNotes, type FaultContext } from './faults.js';
import { isLostConnection, LostCommit } from './lost-connection.js';
import { faultContextOf, lockFacts } from './fault-context.js';
import { beginWithWriteLockWait, LOCK_NOT_AVAILABLE } from './lock-wait.js';
import { checkSchema } from './migrate.js';
import { ANSWER_TIMEOUT_MS, connectTimeoutMs, justUnderAnswerMs } from './timeouts.js';
import { PG_SCHEMA_VERSION } from './migrations.js';
import { connectOnFreedSlot } from './connect-slot.js';
import { hasPassword, pgConnectionUrl, registryClient } from './pool-url.js';
import type { PgTarget } from './pg-target.js';
import { requireResolvedSchema, requireServerVersion, setUpSession } from './session-setup.js';
import { untilStopped } from './stop-wait.js';

/**
 * The connection to a PostgreSQL registry. `pg` is imported on first use only, so `--help`,
 * `--version` and every SQLite command load none of it. One client at a time (a pool of one,
 * which reconnects after a lost connection): the registry's calls take turns on it as they do on
 * the SQLite connection, so a transaction never has another caller's statement inside it.
 */

export class PgConnection {
  private opening?: Promise<Pool>;

  constructor(
    readonly target: PgTarget,
    /**
     * What the first session checks of the schema: `none` only for `registry migrate`, which brings
     * it to this build's version itself; `version` for a reader; `columns` for a writer, which also
     * refuses a table or column dropped by hand before it writes anything (schema-columns.ts).
     */
    private readonly schemaCheck: 'none' | 'version' | 'columns',
    /** How long a statement's answer may take before the connection is given up (`query_timeout` in the URL wins). */
    private readonly answerTimeoutMs = ANSWER_TIMEOUT_MS,
    /** Sets the session's statement_timeout under the answer timeout (justUnderAnswerMs). */
    private readonly serverEndsLateStatements = false,
    /**
     * Where the server sets no lock_timeout (lock-wait.ts): every session's lock waits outside write
     * transactions are bounded at `readMs`, and a write transaction's at `writeMs` (by default just
     * under the answer timeout). Without it, the server's setting alone.
     */
    lockWaits?: { readMs: number; writeMs?: number },
    /** The command's stop signal: it ends a wait in progress to connect or set up a session, and (`everyCall`: a read-only registry) any call's (stop-wait.ts). */
    private readonly stop: { signal?: AbortSignal; everyCall?: boolean } = {},
  ) {
    // Worked out once from the URL: every call asks for them.
    this.justUnderAnswer = justUnderAnswerMs(target.url, answerTimeoutMs);
    this.readLockWaitMs = lockWaits && this.underAnswer(lockWaits.readMs);
    this.writeLockWaitMs = lockWaits && (lockWaits.writeMs ?? this.justUnderAnswer);
  }

  /** Just under the answer a command waits for (timeouts.ts): the reader's statement_timeout, and a write's lock wait by default. */
  private readonly justUnderAnswer: number;

  /**
   * A read's lock wait where the server sets none: `readMs`, but always ending before the answer
   * is given up (`query_timeout` in the URL may be short) and before the library reader's own
   * statement_timeout (just under it), so a lock is named rather than a slow answer.
   */
  readonly readLockWaitMs: number | undefined;

  /** A write transaction's lock wait where the server sets none (session.ts); undefined: the session's own. */
  readonly writeLockWaitMs: number | undefined;

  /** A lock wait of `ms`, cut to end before the answer is given up (and before the reader's statement_timeout, just under it). */
  underAnswer(ms: number): number {
    return Math.min(ms, Math.max(1, Math.floor(this.justUnderAnswer * 0.9)));
  }

  /** The clients whose session is set up (session-setup.ts): once per server session, which outlives a checkout. */
  private readonly setUp = new WeakSet<PoolClient>();

  /** Per set-up session: whether the administrator sets no lock_timeout, as its first query found. */
  private readonly serverSetsNoLockWait = new WeakMap<ClientBase, boolean>();

  /** A write transaction's BEGIN on `client` (lock-wait.ts beginWithWriteLockWait); undefined: a plain BEGIN. */
  writeBegin(client: ClientBase): string | undefined {
    return this.writeLockWaitMs === undefined ? undefined : beginWithWriteLockWait(this.writeLockWaitMs, this.serverSetsNoLockWait.get(client));
  }

  /** A session's first query; a later one (after a lost connection) is checked as the first was. */
  private async setUpSession(client: PoolClient) {
    const facts = await setUpSession(client, this.target.schema, this.readLockWaitMs);
    if (this.schemaCheck !== 'none') requireResolvedSchema(facts, { ...this.target, library: this.forLibrary });
    if (typeof facts.unbounded === 'boolean') this.serverSetsNoLockWait.set(client, facts.unbounded);
    // Only a session that passed is trusted: a refused one is checked again, and refused again, on its next checkout.
    this.setUp.add(client);
    return facts;
  }

  /** The library's reader (index.ts), the only one that asks the server to end late statements: its faults are worded for an application, which runs no command. */
  private get forLibrary(): boolean {
    return this.serverEndsLateStatements;
  }

  fault(err: unknown, doing: string): Error {
    return pgFault(err, this.context(doing));
  }

  context(doing: string): FaultContext {
    // Only the library's reader asks the server to end late statements (index.ts).
    return faultContextOf(this.target, doing, { version: this.checkedVersion, ...(this.forLibrary ? { ownStatementTimeoutMs: this.justUnderAnswer } : {}) });
  }

  /** The schema version checkSchema found (this build's), once it has. */
  private checkedVersion?: number;

  /**
   * Runs `work` on the client; a lost connection discards it, so the next call connects afresh.
   * `work` notes in `notes` what a fault names: the lock wait its transaction set for itself, the call it is in.
   * `stoppable`: the command's stop signal ends `work` too, as every call of a read-only registry's.
   */
  async withClient<T>(doing: string, work: (client: PoolClient, notes: ClientNotes) => Promise<T>, { stoppable = false } = {}): Promise<T> {
    const pool = await this.open();
    let client: PoolClient;
    try {
      client = await this.stoppable('connecting again', () => connectOnFreedSlot(pool), () => {}, true);
    } catch (err) {
      // The pool connected once (open): a new connection now replaces one lost or closed while idle, mid-command.
      throw pgFault(err, { ...this.context('connecting again'), reconnecting: true });
    }
    let broken: Error | undefined;
    const notes: ClientNotes = {};
    // A connection that dies while checked out emits 'error' on the client (the pool listens only
    // to idle ones); unheard, Node would crash. The failing query reports it to `work` as well.
    const onError = (err: Error) => {
      broken = err;
    };
    client.on('error', onError);
    try {
      const cut = () => void client.end().catch(() => {});
      if (!this.setUp.has(client)) await this.stoppable('setting up the session', () => this.setUpSession(client), cut, true);
      // A write transaction listens to the signal itself, up to COMMIT (session.ts); other writes are waited for.
      return await (this.stop.everyCall || stoppable ? this.stoppable(doing, () => work(client, notes), cut) : work(client, notes));
    } catch (err) {
      // A signal ended the connection under a transaction (session.ts): it is not given out again either.
      if (isLostConnection(err) || err instanceof InterruptedError) broken ??= err as Error;
      // The registry settles a lost COMMIT itself (registry.ts), on a new connection.
      if (err instanceof LostCommit) throw err;
      // The wait is over (the transaction, if any, rolled back): the same connection asks who held the lock.
      const what = notes.call ? `${notes.call}, ${doing}` : doing;
      if (errorCode(err) === LOCK_NOT_AVAILABLE && !broken) throw pgFault(err, { ...this.context(what), ...(await lockFacts(client, this.target.schema, notes)) });
      throw this.fault(err, what);
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  private open(): Promise<Pool> {
    this.opening ??= this.connect().catch((err) => {
      this.opening = undefined;
      throw err;
    });
    return this.opening;
  }

  private async connect(): Promise<Pool> {
    const pg = loadPg();
    // libpq's `options` in the URL (-c statement_timeout=...) joins the search path below: pg lets a
    // URL's options replace the configured ones, which left every statement without its schema.
    // (A search_path of its own in them was refused by target.ts: url-chosen-elsewhere.ts.)
    const { url, options } = pgConnectionUrl(this.target.url);
    const pool = new pg.Pool({
      connectionString: url,
      // What the URL does not say, pg takes from process.env (PGSSLMODE, PGSSLNEGOTIATION, the
      // password): the target already resolved those from the environment it was given (target.ts).
      ssl: false,
      sslnegotiation: 'postgres',
      Client: registryClient(pg, hasPassword(url), this.stop.signal),
      max: 1,
      allowExitOnIdle: true,
      application_name: 'promptctl',
      // A host that accepts the connection but never answers (a hung server, a proxy or firewall
      // dropping packets) must end in exit 3, and the library's stale fallback, not a wait forever.
      connectionTimeoutMillis: connectTimeoutMs(this.target.url),
      // A connection whose server vanished without closing it is noticed by TCP, not by the next query hanging.
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      // A connection that stops answering mid-use (a proxy that stopped forwarding still ACKs, so
      // keep-alive never notices) fails the statement; the client is then discarded (withClient).
      query_timeout: this.answerTimeoutMs,
      // Every statement names no schema: the registry's own comes first on the search path. A
      // statement_timeout in the URL's options comes after the reader's own, so it wins.
      options: [this.serverEndsLateStatements ? `-c statement_timeout=${this.justUnderAnswer}` : '', options, `-c search_path=${this.target.schema}`].filter(Boolean).join(' '),
    });
    // An idle client whose server went away must not crash the process; the next call reconnects.
    pool.on('error', () => {});
    let client: PoolClient;
    try {
      client = await this.stoppable('connecting', () => connectOnFreedSlot(pool), () => {});
    } catch (err) {
      // Stopped: the pool's one client is closing (pool-url.ts), and the pool ends with it, unawaited.
      if (err instanceof InterruptedError) void pool.end().catch(() => {});
      throw this.fault(err, 'connecting');
    }
    const onError = () => {};
    client.on('error', onError);
    try {
      // One round trip: the server version, the schema statements resolve to (behind a pooler that
      // dropped the search path, another schema's tables), whether that schema was migrated, and the
      // session's own settings.
      const checked = async () => {
        const facts = await this.setUpSession(client);
        requireServerVersion(facts, this.target);
        if (this.schemaCheck !== 'none') {
          await checkSchema(client, { ...this.target, library: this.forLibrary }, facts.migrated, this.schemaCheck === 'columns');
          this.checkedVersion = PG_SCHEMA_VERSION;
        }
      };
      await this.stoppable('checking the server and the schema', checked, () => void client.end().catch(() => {}));
      client.off('error', onError);
      client.release();
    } catch (err) {
      client.off('error', onError);
      client.release(isLostConnection(err) || err instanceof InterruptedError ? (err as Error) : undefined);
      await pool.end().catch(() => {});
      throw this.fault(err, 'checking the server and the schema');
    }
    return pool;
  }

  /** `step`, ended at once by the command's stop signal (stop-wait.ts); `cut` closes the connection under it. */
  private stoppable<T>(doing: string, step: () => Promise<T>, cut: () => void, reconnecting = false): Promise<T> {
    return untilStopped({ signal: this.stop.signal, doing, where: this.target.display, reconnecting }, step, cut);
  }

  async close(): Promise<void> {
    const opening = this.opening;
    this.opening = undefined;
    if (!opening) return;
    const pool = await opening.catch(() => undefined);
    await pool?.end().catch(() => {});
  }
}
