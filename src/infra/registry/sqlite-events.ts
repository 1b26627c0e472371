import type { Clock } from '../clock.js';
import type Database from 'better-sqlite3';
import { verifyEvents, type ChainHead } from '../../core/audit-chain.js';
import { nextEvent, refusesUnsigned } from './event-append.js';
import { seqsSinceDecision } from './decided-on.js';
import { ENVIRONMENTS_SQL } from './prompt-ids.js';
import { toEvent, type EventRow } from './sqlite-rows.js';
import type { AnchoredHead, AuditEvent, ChainAround, ChainVerdict, EventFilter, EventKey, NewEvent } from './types.js';
import { eventWhere } from './event-conditions.js';
import { preparedOnUse, transactionOnUse } from './sqlite-lazy.js';
import { versionReleasesOf, versionReleasesSql, type VersionReleaseRow, type VersionReleases } from './version-releases.js';

/**
 * The hash-chained, append-only deploy/rollback log. Triggers (see migrations.ts) refuse UPDATE
 * and DELETE; the chain and the separate head row catch what someone does with triggers dropped.
 */

const COLUMNS = 'seq, env, prompt_id, version, previous_version, action, actor, reason, detail, content_hash, signer, signature, at, prev_hash, hash';

/**
 * The listing queries, one per filter shape, so each can use its index (a catch-all
 * `WHERE (? IS NULL OR ...)` would not). Newest first with LIMIT, reversed in code: `limit`
 * means "the latest N". LIMIT -1 is SQLite for "no limit". Exported for query-plan tests.
 */
export const EVENT_QUERIES = {
  all: `SELECT ${COLUMNS} FROM events ORDER BY seq DESC LIMIT ?`,
  byPrompt: `SELECT ${COLUMNS} FROM events WHERE prompt_id = ? ORDER BY seq DESC LIMIT ?`,
  byEnv: `SELECT ${COLUMNS} FROM events WHERE env = ? ORDER BY seq DESC LIMIT ?`,
  byPromptEnv: `SELECT ${COLUMNS} FROM events WHERE prompt_id = ? AND env = ? ORDER BY seq DESC LIMIT ?`,
  /** The same without the events about no environment (tested marks, supersessions). */
  allEnvs: `SELECT ${COLUMNS} FROM events WHERE env <> '' ORDER BY seq DESC LIMIT ?`,
  byPromptAllEnvs: `SELECT ${COLUMNS} FROM events WHERE prompt_id = ? AND env <> '' ORDER BY seq DESC LIMIT ?`,
  /** One version's events: in one environment, or in any. */
  byPromptEnvVersion: `SELECT ${COLUMNS} FROM events WHERE prompt_id = ? AND env = ? AND version = ? ORDER BY seq DESC LIMIT ?`,
  byPromptVersionAllEnvs: `SELECT ${COLUMNS} FROM events WHERE prompt_id = ? AND env <> '' AND version = ? ORDER BY seq DESC LIMIT ?`,
  byPromptVersion: `SELECT ${COLUMNS} FROM events WHERE prompt_id = ? AND version = ? ORDER BY seq DESC LIMIT ?`,
} as const;

/** Each (prompt, env) pair's newest seq from the (prompt_id, env, seq) index, for all pairs (a JSON array of pairs) in one statement. */
export const LATEST_EVENTS = `SELECT ${COLUMNS} FROM events WHERE seq IN (SELECT (SELECT max(seq) FROM events WHERE prompt_id = json_extract(k.value, '$[0]') AND env = json_extract(k.value, '$[1]')) FROM json_each(?) AS k)`;

export class EventLog {
  private readonly list: { [K in keyof typeof EVENT_QUERIES]: Database.Statement };
  private readonly head: Database.Statement<[], ChainHead>;
  private readonly newestRow: Database.Statement<[], EventRow>;
  private readonly insert: Database.Statement;
  private readonly insertHead: Database.Statement;
  private readonly updateHead: Database.Statement;
  private readonly inOrder: Database.Statement<[], EventRow>;
  private readonly atOf: Database.Statement<[number], string>;
  private readonly bySeqs: Database.Statement<[string], EventRow>;
  private readonly byKey: Database.Statement<[string], EventRow>;
  private readonly releasesOf: Database.Statement<[string], { version: string; env: string }>;
  private readonly versionReleasesOf: Database.Statement<[string, string], VersionReleaseRow>;
  private readonly envs: Database.Statement<[], string>;
  private readonly firstSigned: Database.Statement<[], number>;
  private readonly latestOf: Database.Statement<[string], EventRow>;
  /** Runs its reads in one (deferred, so read) transaction, or in a savepoint of the one already open. */
  private readonly inOneSnapshot: <T>(read: () => T) => T;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Pick<Clock, 'date'>,
    /** signing.since from .promptrc.yaml: from this seq on, an unsigned event is refused. */
    private readonly signingSince?: number,
  ) {
    this.list = {
      all: preparedOnUse(() => db.prepare(EVENT_QUERIES.all)),
      byPrompt: preparedOnUse(() => db.prepare(EVENT_QUERIES.byPrompt)),
      byEnv: preparedOnUse(() => db.prepare(EVENT_QUERIES.byEnv)),
      byPromptEnv: preparedOnUse(() => db.prepare(EVENT_QUERIES.byPromptEnv)),
      allEnvs: preparedOnUse(() => db.prepare(EVENT_QUERIES.allEnvs)),
      byPromptAllEnvs: preparedOnUse(() => db.prepare(EVENT_QUERIES.byPromptAllEnvs)),
      byPromptEnvVersion: preparedOnUse(() => db.prepare(EVENT_QUERIES.byPromptEnvVersion)),
      byPromptVersionAllEnvs: preparedOnUse(() => db.prepare(EVENT_QUERIES.byPromptVersionAllEnvs)),
      byPromptVersion: preparedOnUse(() => db.prepare(EVENT_QUERIES.byPromptVersion)),
    };
    this.head = preparedOnUse(() => db.prepare('SELECT seq, hash FROM chain_head WHERE id = 1'));
    this.newestRow = preparedOnUse(() => db.prepare(`SELECT ${COLUMNS} FROM events ORDER BY seq DESC LIMIT 1`));
    this.insert = preparedOnUse(() => db.prepare(
      `INSERT INTO events (${COLUMNS}, idempotency_key) VALUES (@seq, @env, @prompt_id, @version, @previous_version, @action, @actor, @reason, @detail, @content_hash, @signer, @signature, @at, @prev_hash, @hash, @idempotency_key)`,
    ));
    this.insertHead = preparedOnUse(() => db.prepare('INSERT INTO chain_head (id, seq, hash) VALUES (1, ?, ?)'));
    this.updateHead = preparedOnUse(() => db.prepare('UPDATE chain_head SET seq = ?, hash = ? WHERE id = 1'));
    this.inOrder = preparedOnUse(() => db.prepare(`SELECT ${COLUMNS} FROM events ORDER BY seq`));
    this.bySeqs = preparedOnUse(() => db.prepare(`SELECT ${COLUMNS} FROM events WHERE seq IN (SELECT value FROM json_each(?)) ORDER BY seq`));
    this.atOf = preparedOnUse(() => db.prepare<[number], string>('SELECT at FROM events WHERE seq = ?').pluck());
    this.releasesOf = preparedOnUse(() => db.prepare(`SELECT DISTINCT version, env FROM events WHERE prompt_id = ? AND env <> '' ORDER BY version, env`));
    this.versionReleasesOf = preparedOnUse(() => db.prepare(versionReleasesSql('?')));
    this.byKey = preparedOnUse(() => db.prepare(`SELECT ${COLUMNS} FROM events WHERE idempotency_key = ?`));
    this.envs = preparedOnUse(() => db.prepare<[], string>(ENVIRONMENTS_SQL).pluck());
    // In seq order, it stops at the first signed row: cheap once a log signs from early on.
    this.firstSigned = preparedOnUse(() => db.prepare<[], number>('SELECT seq FROM events WHERE signature IS NOT NULL ORDER BY seq LIMIT 1').pluck());
    this.latestOf = preparedOnUse(() => db.prepare(LATEST_EVENTS));
    this.inOneSnapshot = transactionOnUse(db, (read: () => unknown) => read()) as <T>(read: () => T) => T;
  }

  /** Must run inside a write transaction (the caller's), so seq and prev_hash cannot race. */
  append(e: NewEvent): AuditEvent {
    // The same invocation appending again (a retried command): the event it already recorded.
    const recorded = e.idempotencyKey === undefined ? undefined : this.byKey.get(e.idempotencyKey);
    if (recorded) return toEvent(recorded);
    const head = this.head.get() ?? null;
    const newestRow = this.newestRow.get();
    const newest = newestRow && toEvent(newestRow);
    const since = this.signingSince;
    const firstSigned = since === undefined && refusesUnsigned(e, head, newest, since) ? this.firstSignedSeq() : undefined;
    const moved = seqsSinceDecision(e, head);
    const appendedSince = moved.length ? this.eventsAt(moved) : undefined;
    const { event, detail } = nextEvent(e, head, newest, this.clock.date().toISOString(), { since, firstSigned, appendedSince });
    this.insert.run({
      seq: event.seq,
      env: event.env,
      prompt_id: event.promptId,
      version: event.version,
      previous_version: event.previousVersion,
      action: event.action,
      actor: event.actor,
      reason: event.reason,
      detail,
      content_hash: event.contentHash ?? null,
      signer: event.signer ?? null,
      signature: event.signature ?? null,
      at: event.at,
      prev_hash: event.prevHash,
      hash: event.hash,
      idempotency_key: e.idempotencyKey ?? null,
    });
    if (head) this.updateHead.run(event.seq, event.hash);
    else this.insertHead.run(event.seq, event.hash);
    return event;
  }

  listEvents(filter: EventFilter = {}): AuditEvent[] {
    const limit = filter.limit === undefined || !Number.isFinite(filter.limit) ? -1 : Math.max(0, Math.floor(filter.limit));
    if (filter.since !== undefined || filter.actions !== undefined) return this.listFiltered(filter, limit);
    const { promptId, env, version } = filter;
    const envsOnly = filter.environments === true;
    let rows: EventRow[];
    if (version !== undefined && promptId !== undefined) {
      if (env !== undefined) rows = this.list.byPromptEnvVersion.all(promptId, env, version, limit) as EventRow[];
      else rows = this.list[envsOnly ? 'byPromptVersionAllEnvs' : 'byPromptVersion'].all(promptId, version, limit) as EventRow[];
    } else if (version !== undefined) {
      // No query of its own (every caller names the prompt): the rest of the filter, then the version.
      const all = this.listEvents({ ...filter, version: undefined, limit: undefined }).filter((e) => e.version === version);
      return limit < 0 ? all : all.slice(Math.max(0, all.length - limit));
    } else if (promptId !== undefined && env !== undefined) rows = this.list.byPromptEnv.all(promptId, env, limit) as EventRow[];
    else if (promptId !== undefined) rows = this.list[envsOnly ? 'byPromptAllEnvs' : 'byPrompt'].all(promptId, limit) as EventRow[];
    else if (env !== undefined) rows = this.list.byEnv.all(env, limit) as EventRow[];
    else rows = this.list[envsOnly ? 'allEnvs' : 'all'].all(limit) as EventRow[];
    return rows.reverse().map(toEvent);
  }

  /** `history --since/--action`: the query built for the filter given (seldom used, so not one prepared per shape). */
  private listFiltered(filter: EventFilter, limit: number): AuditEvent[] {
    const params: unknown[] = [];
    const sql = `SELECT ${COLUMNS} FROM events ${eventWhere(filter, (v) => (params.push(v), '?'))} ORDER BY seq DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, limit) as EventRow[]).reverse().map(toEvent);
  }

  /**
   * The newest event of each (prompt, environment) pair, in the order asked (undefined for a pair
   * with none): `status` asks it for every prompt in every environment. One statement, so one read
   * of the file's state: a query per pair cost a lock round and a better-sqlite3 call each, about
   * 14 of `status`'s 215 ms on 50,000 events and 300 pairs.
   */
  latest(keys: readonly EventKey[]): Array<AuditEvent | undefined> {
    if (keys.length === 0) return [];
    const rows = this.latestOf.all(JSON.stringify(keys.map((k) => [k.promptId, k.env])));
    const byPair = new Map(rows.map((r) => [JSON.stringify([r.prompt_id, r.env]), r]));
    return keys.map((k) => {
      const row = byPair.get(JSON.stringify([k.promptId, k.env]));
      return row && toEvent(row);
    });
  }

  /** How many events listEvents would return without a limit, counted in the query (history's empty answer). */
  countEvents(filter: EventFilter = {}): number {
    const params: unknown[] = [];
    const sql = `SELECT count(*) AS n FROM events ${eventWhere(filter, (v) => (params.push(v), '?'))}`;
    return (this.db.prepare(sql).get(...params) as { n: number }).n;
  }

  releases(promptId: string): Array<{ version: string; env: string }> {
    return this.releasesOf.all(promptId);
  }

  versionReleases(promptId: string): VersionReleases[] {
    return versionReleasesOf(this.versionReleasesOf.all(promptId, promptId));
  }

  environments(): string[] {
    return this.envs.all();
  }

  eventsAt(seqs: number[]): AuditEvent[] {
    return (this.bySeqs.all(JSON.stringify(seqs)) as EventRow[]).map(toEvent);
  }

  /**
   * eventsAt and the head in one read transaction: in WAL mode each statement outside one reads
   * its own snapshot, and another process's append between the two would look like deleted events.
   */
  chainAround(seqs: number[]): ChainAround {
    return this.inOneSnapshot(() => ({ events: this.eventsAt(seqs), head: this.head.get() ?? null }));
  }

  firstSignedSeq(): number | undefined {
    return this.firstSigned.get();
  }

  /** The recorded head with the time of its event; null for a log that never had an event. */
  chainHead(): AnchoredHead | null {
    const head = this.head.get();
    if (!head) return null;
    const at = this.atOf.get(head.seq);
    return { seq: head.seq, hash: head.hash, at: at ?? null };
  }

  /** Streams every event in seq order through the chain check; memory stays flat. */
  verify(): ChainVerdict {
    const head = this.head.get() ?? null;
    const events = (function* (rows: IterableIterator<EventRow>) {
      for (const row of rows) yield toEvent(row);
    })(this.inOrder.iterate());
    return verifyEvents(events, head);
  }
}
