import { canonicalJson, sha256Hex } from './canonical.js';

/**
 * The audit log is a hash chain: each event stores the hash of the event before it, and its own
 * hash covers every field it holds (including that link, its seq and its time). Editing a row
 * breaks its own hash; deleting or inserting one breaks the next link or the seq run; deleting
 * the last rows is caught by comparing with a separately stored head (last seq + hash).
 *
 * These types are structural on purpose: the registry's AuditEvent fits them, and core does not
 * depend on the infra layer.
 */

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainEventFields {
  seq: number;
  env: string;
  promptId: string;
  version: string;
  previousVersion: string | null;
  action: string;
  actor: string;
  reason: string | null;
  detail?: Record<string, unknown>;
  /**
   * The content hash of the version the event is about (what was deployed, rolled back to or
   * tested). Inside the hash, so swapping a version's content breaks the chain even when the
   * swapper also rewrites the version's content_hash column. Absent on events written before it.
   */
  contentHash?: string;
  at: string;
  prevHash: string;
}

export interface ChainEvent extends ChainEventFields {
  hash: string;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/** A head as it is anchored outside the registry: with the time of its event (null when that event is gone). */
export interface AnchoredHead extends ChainHead {
  at: string | null;
}

/** `<seq>:<hash>`: how `audit head` prints a head and `audit verify --since` takes it back. */
export function formatAnchor(head: ChainHead): string {
  return `${head.seq}:${head.hash}`;
}

export interface ChainVerification {
  ok: boolean;
  events: number;
  broken?: { seq: number; problem: string };
}

/** sha256 of the canonical JSON of every field except `hash`. Extra properties are ignored. */
export function computeEventHash(e: ChainEventFields): string {
  return sha256Hex(
    canonicalJson({
      seq: e.seq,
      env: e.env,
      promptId: e.promptId,
      version: e.version,
      previousVersion: e.previousVersion,
      action: e.action,
      actor: e.actor,
      reason: e.reason,
      detail: e.detail,
      // Undefined is dropped by canonicalJson: events from before the field hash as they did.
      contentHash: e.contentHash,
      at: e.at,
      prevHash: e.prevHash,
    }),
  );
}

/** Builds the next event of the chain from the current head (null for an empty log). */
export function chainNext<T extends Omit<ChainEventFields, 'seq' | 'prevHash'>>(
  head: ChainHead | null,
  fields: T,
): T & { seq: number; prevHash: string; hash: string } {
  const linked = { ...fields, seq: (head?.seq ?? 0) + 1, prevHash: head?.hash ?? GENESIS_HASH };
  return { ...linked, hash: computeEventHash(linked) };
}

/**
 * A warning when `e` is dated before the event it follows. promptctl never writes one (appends take
 * at least the newest event's time), so an inversion is a backdated append or a clock that was
 * wrong; a warning, not a break, because registries written before 0.2 across machines whose clocks
 * disagreed may hold small ones, and a break would fail their verify for good.
 */
export function timeInversion(previous: Pick<ChainEvent, 'seq' | 'at'> | undefined, e: Pick<ChainEvent, 'seq' | 'at'>): string | undefined {
  if (!previous || !(Date.parse(e.at) < Date.parse(previous.at))) return undefined;
  return `event ${e.seq} is dated ${e.at}, before event ${previous.seq} (${previous.at}) that it follows: it was backdated, or written on a machine whose clock was wrong`;
}

/** The time to record for an event appended after `newest` at `now`: never earlier than the newest's. */
export function monotonicAt(newest: Pick<ChainEvent, 'at'> | undefined, now: string): string {
  return newest && Date.parse(newest.at) > Date.parse(now) ? newest.at : now;
}

/** How far two clocks may disagree (an event's date and a clock, or two clocks) before it is said: ordinary clock skew. */
export const CLOCK_SLACK_MS = 5 * 60_000;

/** Whether `at` is after `now` by more than ordinary skew. */
const datedAhead = (at: string, now: string): boolean => Date.parse(at) - Date.parse(now) > CLOCK_SLACK_MS;

/** The newest event of the chain, or the run holding the latest run time, for futureDated. */
export type NewestRecord = { kind: 'event'; seq: number; at: string } | { kind: 'run'; id: string; at: string };

/**
 * A warning when the newest event, or the newest run, is dated after `now` (beyond ordinary skew):
 * since neither is ever dated before the newest of its kind (appends take at least the newest
 * event's time; runs at least the latest run time, as the newest run of a suite decides its tested
 * mark), every later one would take that date too, so one written on a machine whose clock ran
 * ahead (or a forged date) would date the rest. `clock` names whose time `now` is: the registry
 * server's on a team registry, which dates its events and runs.
 */
export function futureDated(newest: NewestRecord | undefined, now: string, clock = "this machine's clock"): string | undefined {
  if (!newest || !datedAhead(newest.at, now)) return undefined;
  const [name, cause] =
    newest.kind === 'event'
      ? [`event ${newest.seq}`, 'written on a machine whose clock ran ahead, or its date was forged']
      : [`run ${newest.id.slice(0, 8)}`, 'recorded on a machine whose clock ran ahead'];
  return `${name} is dated ${newest.at}, after ${clock} (${now}): every later ${newest.kind} will be dated at least that late; it was ${cause}`;
}

/** The first of `events` dated after `now` beyond ordinary skew: what `registry push` refuses to append to a team log. */
export function firstFutureDated<E extends Pick<ChainEvent, 'at'>>(events: Iterable<E>, now: string): E | undefined {
  for (const e of events) if (datedAhead(e.at, now)) return e;
  return undefined;
}

/**
 * A warning when this machine's clock (`local`) and the registry server's (`server`), which dates
 * a team registry's events, disagree beyond ordinary skew: times this machine shows next to event
 * times are off by as much, and it is this machine's clock that is wrong, not the events.
 */
export function clockSkew(local: string, server: string): string | undefined {
  const ms = Date.parse(server) - Date.parse(local);
  if (!(Math.abs(ms) > CLOCK_SLACK_MS)) return undefined;
  const minutes = Math.round(Math.abs(ms) / 60_000);
  return `this machine's clock is about ${minutes} min ${ms > 0 ? 'behind' : 'ahead of'} the registry server's (${local} here, ${server} on the server): the server dates every event, so the events are not at fault; set this machine's clock right (NTP)`;
}

/**
 * Re-checks a whole log, in seq order, streaming (an iterable, so 50,000 rows need not sit in
 * memory). `head` is the separately stored last seq + hash: pass null when none is stored, or
 * leave it out to skip the truncation check. Reports the first problem only: after one break,
 * later links say nothing new. `from`: a part of the log that starts at this seq and link.
 */
export function verifyEvents(events: Iterable<ChainEvent>, head?: ChainHead | null, from: { seq: number; prevHash: string } = { seq: 1, prevHash: GENESIS_HASH }): ChainVerification {
  let expectedSeq = from.seq;
  let expectedPrev = from.prevHash;
  let count = 0;
  let last: ChainEvent | undefined;
  const broken = (seq: number, problem: string): ChainVerification => ({ ok: false, events: count, broken: { seq, problem } });

  for (const e of events) {
    count++;
    if (computeEventHash(e) !== e.hash) {
      return broken(e.seq, `event ${e.seq}: stored hash does not match its content: the row was edited after it was written`);
    }
    if (e.seq !== expectedSeq) {
      const missing = e.seq > expectedSeq ? describeRange(expectedSeq, e.seq - 1) : undefined;
      return broken(
        e.seq,
        missing
          ? `event ${e.seq}: ${missing} missing before it (seq jumps from ${expectedSeq - 1} to ${e.seq}): events were deleted`
          : `event ${e.seq}: seq is out of order after ${expectedSeq - 1}: events were inserted or renumbered`,
      );
    }
    if (e.prevHash !== expectedPrev) {
      return broken(
        e.seq,
        e.seq === 1
          ? `event 1: prev_hash should be the genesis hash (64 zeros): events were inserted before it`
          : `event ${e.seq}: prev_hash does not match the hash of event ${e.seq - 1}: an event before it was changed, deleted or inserted`,
      );
    }
    expectedSeq = e.seq + 1;
    expectedPrev = e.hash;
    last = e;
  }

  if (head === undefined) return { ok: true, events: count };
  if (head === null) {
    return last
      ? broken(last.seq, `the chain head record is missing although ${count} events exist: the head was removed by hand`)
      : { ok: true, events: 0 };
  }
  const lastSeq = last?.seq ?? 0;
  if (lastSeq < head.seq) {
    return broken(
      lastSeq + 1,
      `the log ends at event ${lastSeq} but the chain head records event ${head.seq}: ${describeRange(lastSeq + 1, head.seq)} deleted from the end`,
    );
  }
  if (lastSeq > head.seq) {
    return broken(head.seq + 1, `${describeRange(head.seq + 1, lastSeq)} after the recorded chain head (event ${head.seq}): events were added by hand`);
  }
  if (last && last.hash !== head.hash) {
    return broken(last.seq, `event ${last.seq}: its hash differs from the one the chain head recorded: the last event was replaced`);
  }
  return { ok: true, events: count };
}

function describeRange(from: number, to: number): string {
  return from === to ? `event ${from} is` : `events ${from}–${to} are`;
}
