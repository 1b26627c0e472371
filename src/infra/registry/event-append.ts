import { chainNext, computeEventHash, monotonicAt, type ChainHead } from '../../core/audit-chain.js';
import { InputError, UnavailableError } from '../../core/errors.js';
import { KEY_ENV, roleFor, sinceLine, unsignedMayFollow } from '../../core/signing.js';
import type { AuditEvent, NewEvent, Registry } from './types.js';
import { decidedOnOlderLog } from './decided-on.js';

/**
 * The one rule for appending to the audit chain, shared by both backends: each reads the recorded
 * head and the newest event under its own lock, then asks `nextEvent` for the row to write.
 */

/**
 * The event to write after `head` (the recorded head) and `newest` (the newest row, as read), at
 * `at`; `detail` is the exact text to store. Refuses (exit 3) to chain onto a newest event that no
 * longer matches its own hash or the hash the head recorded for it, or onto events whose head record
 * was removed: rebuilding the head
 * would make a truncated log verify again. Chains from the recorded head, so deleting the newest
 * rows stays visible as a gap instead of being papered over. Refuses (exit 3) an event whose
 * decision read an older head (decided-on.ts). Refuses (exit 2) an unsigned event
 * where signing has begun (`signing`: signing.since, and the first signed event for the hint).
 */
export function nextEvent(e: NewEvent, head: ChainHead | null, newest: AuditEvent | undefined, at: string, signing: AppendSigning = {}): { event: AuditEvent; detail: string | null } {
  const refused = appendRefusal(head, newest) ?? decidedOnOlderLog(e, signing.appendedSince ?? []);
  if (refused) throw refused;
  const from = chainFrom(head, newest);
  if (refusesUnsigned(e, head, newest, signing.since)) throw unsignedAfterSigned(e.action, { newest, since: signing.since, firstSigned: signing.firstSigned });
  // Store exactly what is hashed: detail goes through JSON once, so reading it back hashes the same.
  const detail = e.detail === undefined ? undefined : (JSON.parse(JSON.stringify(e.detail)) as Record<string, unknown>);
  const chained = chainNext(from, {
    env: e.env,
    promptId: e.promptId,
    version: e.version,
    previousVersion: e.previousVersion,
    action: e.action,
    actor: e.actor,
    reason: e.reason,
    // A clock behind the newest event's never dates an event before it (audit verify warns of one).
    at: monotonicAt(newest, at),
    ...(detail === undefined ? {} : { detail }),
    ...(e.contentHash === undefined ? {} : { contentHash: e.contentHash }),
  });
  const event: AuditEvent = { ...chained, ...signatureOf(e, chained.hash) };
  return { event, detail: detail === undefined ? null : JSON.stringify(detail) };
}

/**
 * Why the chain cannot be appended to (exit 3), or undefined: a newest event that no longer matches
 * its own hash, or (its hash recomputed) the hash the head recorded for it, or events whose head
 * record was removed. One row, one hash: only the newest is checked, so an append stays cheap;
 * `audit verify` checks all.
 */
function appendRefusal(head: ChainHead | null, newest: AuditEvent | undefined): UnavailableError | undefined {
  if (newest && computeEventHash(newest) !== newest.hash) return editedNewest(newest.seq, 'does not match its own hash', 'the row was changed after it was written');
  if (!head && newest) return missingHead(newest.seq);
  if (head && newest && head.seq === newest.seq && head.hash !== newest.hash) {
    return editedNewest(newest.seq, 'differs from the one the chain head recorded', 'the row was replaced after it was written, its own hash recomputed');
  }
  return undefined;
}

/**
 * For a dry run (deploy, promote, rollback): the append's own refusal, thrown where the change
 * would append, so the rehearsal says what the change would meet (exit 3) instead of "would be deployed".
 */
export async function requireAppendable(registry: Pick<Registry, 'chainHead' | 'listEvents'>): Promise<void> {
  const [head, [newest]] = await Promise.all([registry.chainHead(), registry.listEvents({ limit: 1 })]);
  const refused = appendRefusal(head, newest);
  if (refused) throw refused;
}

/** What an append knows of signing: signing.since, and (read only to word a refusal) the first signed event. */
export interface AppendSigning {
  since?: number;
  firstSigned?: number;
  /** The events at `seqsSinceDecision(e, head)`, read under the head's lock: what the decision did not see. */
  appendedSince?: readonly AuditEvent[];
}

function chainFrom(head: ChainHead | null, newest: AuditEvent | undefined): ChainHead | null {
  return head && newest && newest.seq > head.seq ? newest : (head ?? newest ?? null);
}

/** Whether `e` would be refused for being unsigned: the backends then read the first signed event, for the hint. */
export function refusesUnsigned(e: Pick<NewEvent, 'sign'>, head: ChainHead | null, newest: AuditEvent | undefined, since: number | undefined): boolean {
  return !e.sign && !unsignedMayFollow(newest, (chainFrom(head, newest)?.seq ?? 0) + 1, since);
}

/** The signer and signature stored beside an event, when the caller signs. */
export function signatureOf(e: Pick<NewEvent, 'sign'>, hash: string): { signer?: string; signature?: string } {
  return e.sign ? { signer: `${e.sign.role}:${e.sign.keyId}`, signature: e.sign.sign(hash) } : {};
}

function editedNewest(seq: number, mismatch: string, how: string): UnavailableError {
  return new UnavailableError({
    message: `the audit log cannot be appended to: its newest event #${seq} ${mismatch}`,
    why: `${how}; a new event chained onto it would hide that.`,
    hint: 'run `promptctl audit verify`, then restore the registry from a backup and find out who changed it.',
  });
}

function missingHead(lastSeq: number): UnavailableError {
  return new UnavailableError({
    message: `the audit log cannot be appended to: its chain head record is missing although events up to #${lastSeq} exist`,
    why: 'the head row was removed by hand; rebuilding it would hide any newest events removed with it.',
    hint: 'run `promptctl audit verify`, then restore the registry from a backup and find out who changed it.',
  });
}

/**
 * An unsigned event where signing has begun would break the log for good: refused before it is
 * written (exit 2), as the project's signing settings, not the registry, are what need changing.
 * Without signing.since, the hint gives the line that anchors where signing began.
 */
export function unsignedAfterSigned(action: string, at: { newest: Pick<AuditEvent, 'seq' | 'signer'> | undefined; since?: number; firstSigned?: number }): InputError {
  const role = roleFor(action);
  const { newest, since, firstSigned } = at;
  const why = `\`audit verify\` reports an unsigned event there as a break, for good. This project pins no ${role} keys (signing.${role} in .promptrc.yaml), or none was given.`;
  const hint = `pin the ${role}'s public keys under signing.${role} in .promptrc.yaml (\`git log -p .promptrc.yaml\` shows pins that were removed) and set ${KEY_ENV[role]} to its private key`;
  if (since !== undefined) {
    return new InputError({ message: `the audit log is signed from event #${since} on (signing.since in .promptrc.yaml), and this ${action} event would not be`, why: `every event from signing.since on must be signed: ${why}`, hint });
  }
  const anchor = firstSigned === undefined ? '' : `; then add \`${sinceLine(firstSigned)}\` to .promptrc.yaml, so that a database writer who strips every signature cannot turn signing off`;
  return new InputError({
    message: `the audit log is signed (event #${newest?.seq} by ${newest?.signer ?? 'a pinned key'}), and this ${action} event would not be`,
    why: `once a registry holds a signed event, every later one must be signed: ${why}`,
    hint: hint + anchor,
  });
}
