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
 * Re-checks a whole log, in seq order, streaming (an iterable, so 50,000 rows need not sit in
 * memory). `head` is the separately stored last seq + hash: pass null when none is stored, or
 * leave it out to skip the truncation check. Reports the first problem only: after one break,
 * later links say nothing new.
 */
export function verifyEvents(events: Iterable<ChainEvent>, head?: ChainHead | null): ChainVerification {
  let expectedSeq = 1;
  let expectedPrev = GENESIS_HASH;
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
