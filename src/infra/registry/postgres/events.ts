import { verifyEvents, type AnchoredHead, type ChainHead } from '../../../core/audit-chain.js';
import { nextEvent, refusesUnsigned } from '../event-append.js';
import { seqsSinceDecision } from '../decided-on.js';
import { ENVIRONMENTS_SQL } from '../prompt-ids.js';
import { toEvent, type EventRow } from '../sqlite-rows.js';
import type { AuditEvent, ChainVerdict, EventFilter, EventKey, NewEvent } from '../types.js';
import { atomic, inKeyOrder, rows, type Session } from './session.js';
import { eventWhere } from '../event-conditions.js';
import { serverTime } from './server-time.js';
import { versionReleasesOf, versionReleasesSql, type VersionReleaseRow, type VersionReleases } from '../version-releases.js';

/**
 * The hash-chained, append-only audit log, mirroring sqlite-events.ts. One global chain: every
 * append locks the chain head row (FOR UPDATE) and takes seq = head + 1, so concurrent appends from
 * any number of processes queue on that row and the log stays gapless. Triggers refuse UPDATE,
 * DELETE and TRUNCATE; the chain and the separate head row catch what an owner does without them.
 */

export const COLUMNS = 'seq, env, prompt_id, version, previous_version, action, actor, reason, detail, content_hash, signer, signature, at, prev_hash, hash';

export type PgEventRow = Omit<EventRow, 'seq'> & { seq: string | number };
/** BIGINT arrives as a string from pg; seq stays far below 2^53. */
export const eventOf = (r: PgEventRow): AuditEvent => toEvent({ ...r, seq: Number(r.seq) });
export const headOf = (r: { seq: string | number; hash: string }): ChainHead => ({ seq: Number(r.seq), hash: r.hash });

async function lockedHead(s: Session): Promise<ChainHead | null> {
  const [row] = await rows<{ seq: string; hash: string }>(s, 'SELECT seq, hash FROM chain_head WHERE id = 1 FOR UPDATE');
  return row ? headOf(row) : null;
}

export function appendEvent(s: Session, e: NewEvent): Promise<AuditEvent> {
  return atomic(s, async (tx) => {
    let head = await lockedHead(tx);
    // No head row yet (the first event): no row to lock, so the first appenders queue on the table instead.
    if (!head) {
      await tx.client.query('LOCK TABLE chain_head IN EXCLUSIVE MODE');
      head = await lockedHead(tx);
    }
    // What a lost COMMIT is settled by (settle.ts): recorded, whether by this append or an earlier one.
    tx.appended?.push(e.idempotencyKey);
    // Under the head lock, so an append with the same key that committed meanwhile is seen here.
    if (e.idempotencyKey !== undefined) {
      const [recorded] = await rows<PgEventRow>(tx, `SELECT ${COLUMNS} FROM events WHERE idempotency_key = $1`, [e.idempotencyKey]);
      if (recorded) return eventOf(recorded);
    }
    const [newest] = await rows<PgEventRow>(tx, `SELECT ${COLUMNS} FROM events ORDER BY seq DESC LIMIT 1`);
    const last = newest ? eventOf(newest) : undefined;
    const since = tx.signingSince;
    const firstSigned = since === undefined && refusesUnsigned(e, head, last, since) ? await firstSignedSeq(tx) : undefined;
    // The server's time (server-time.ts), read under the head lock, so times follow seq.
    // Events the change's decision did not see (decided-on.ts): under the head lock, none can follow.
    const moved = seqsSinceDecision(e, head);
    const appendedSince = moved.length ? await eventsAt(tx, moved) : undefined;
    const { event, detail } = nextEvent(e, head, last, await serverTime(tx), { since, firstSigned, appendedSince });
    await tx.client.query(`INSERT INTO events (${COLUMNS}, idempotency_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`, [
      event.seq, event.env, event.promptId, event.version, event.previousVersion, event.action, event.actor, event.reason,
      detail, event.contentHash ?? null, event.signer ?? null, event.signature ?? null,
      event.at, event.prevHash, event.hash,
      e.idempotencyKey ?? null,
    ]);
    if (head) await tx.client.query('UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1', [event.seq, event.hash]);
    else await tx.client.query('INSERT INTO chain_head (id, seq, hash) VALUES (1, $1, $2)', [event.seq, event.hash]);
    return event;
  });
}

export async function listEvents(s: Session, filter: EventFilter = {}): Promise<AuditEvent[]> {
  // NULL is PostgreSQL's LIMIT ALL. Newest first with LIMIT, reversed here: `limit` means "the latest N".
  const limit = filter.limit === undefined || !Number.isFinite(filter.limit) ? null : Math.max(0, Math.floor(filter.limit));
  const params: unknown[] = [];
  const sql = `SELECT ${COLUMNS} FROM events ${eventWhere(filter, (v) => `$${params.push(v)}`)} ORDER BY seq DESC LIMIT $${params.push(limit)}`;
  return (await rows<PgEventRow>(s, sql, params)).reverse().map(eventOf);
}

/** How many events listEvents would return without a limit, counted by the server (history's empty answer). */
export async function countEvents(s: Session, filter: EventFilter = {}): Promise<number> {
  const params: unknown[] = [];
  const [row] = await rows<{ n: string }>(s, `SELECT count(*) AS n FROM events ${eventWhere(filter, (v) => `$${params.push(v)}`)}`, params);
  return Number(row!.n);
}

/** The newest event of each (prompt, env) in one query: an index probe per key (LATERAL ... LIMIT 1), as listEvents with limit 1 does. */
export async function latestEvents(s: Session, keys: readonly EventKey[]): Promise<Array<AuditEvent | undefined>> {
  if (keys.length === 0) return [];
  const found = await rows<PgEventRow & { n: string }>(
    s,
    `SELECT k.n, e.* FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(prompt_id, env, n)
     CROSS JOIN LATERAL (SELECT ${COLUMNS} FROM events WHERE prompt_id = k.prompt_id AND env = k.env ORDER BY seq DESC LIMIT 1) e`,
    [keys.map((k) => k.promptId), keys.map((k) => k.env)],
  );
  return inKeyOrder(keys.length, found, eventOf);
}

/** Each (version, environment) pair some environment event of the prompt names, once. */
export async function releases(s: Session, promptId: string): Promise<Array<{ version: string; env: string }>> {
  return rows<{ version: string; env: string }>(s, `SELECT version, env FROM (SELECT DISTINCT version, env FROM events WHERE prompt_id = $1 AND env <> '') r ORDER BY version COLLATE "C", env COLLATE "C"`, [promptId]);
}

/** Each version some environment event of the prompt names (version-releases.ts): one query. */
export async function versionReleases(s: Session, promptId: string): Promise<VersionReleases[]> {
  return versionReleasesOf(await rows<VersionReleaseRow>(s, versionReleasesSql('$1'), [promptId]));
}

/** Every environment some event names, sorted by code point. */
export async function listEnvironments(s: Session): Promise<string[]> {
  return (await rows<{ env: string }>(s, ENVIRONMENTS_SQL)).map((r) => r.env);
}

/** The events about no environment of these prompts (their tested marks), oldest first: one query for all. */
export async function promptsMarkEvents(s: Session, promptIds: readonly string[]): Promise<AuditEvent[]> {
  if (promptIds.length === 0) return [];
  return (await rows<PgEventRow>(s, `SELECT ${COLUMNS} FROM events WHERE env = '' AND prompt_id = ANY($1::text[]) ORDER BY seq`, [promptIds])).map(eventOf);
}

/** The recorded head with the time of its event (null for a log that never had an event). */
export async function chainHead(s: Session): Promise<AnchoredHead | null> {
  const [row] = await rows<{ seq: string; hash: string; at: string | null }>(s, 'SELECT h.seq, h.hash, e.at FROM chain_head h LEFT JOIN events e ON e.seq = h.seq WHERE h.id = 1');
  return row ? { ...headOf(row), at: row.at } : null;
}

/** The events with these sequence numbers, in seq order. */
export async function eventsAt(s: Session, seqs: number[]): Promise<AuditEvent[]> {
  return (await rows<PgEventRow>(s, `SELECT ${COLUMNS} FROM events WHERE seq = ANY($1::bigint[]) ORDER BY seq`, [seqs])).map(eventOf);
}

export async function firstSignedSeq(s: Session): Promise<number | undefined> {
  const [row] = await rows<{ seq: string }>(s, 'SELECT seq FROM events WHERE signature IS NOT NULL ORDER BY seq LIMIT 1');
  return row ? Number(row.seq) : undefined;
}

/** Every event in seq order through the chain check, read in pages by seq. */
export async function verifyChain(s: Session): Promise<ChainVerdict> {
  const [headRow] = await rows<{ seq: string; hash: string }>(s, 'SELECT seq, hash FROM chain_head WHERE id = 1');
  const events: AuditEvent[] = [];
  for (let after = -1; ; ) {
    const page = (await rows<PgEventRow>(s, `SELECT ${COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT 5000`, [after])).map(eventOf);
    events.push(...page);
    if (page.length < 5000) break;
    after = page[page.length - 1]!.seq;
  }
  return verifyEvents(events, headRow ? headOf(headRow) : null);
}
