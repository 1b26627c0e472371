import type { ChainHead } from '../../core/audit-chain.js';
import { UnavailableError } from '../../core/errors.js';
import type { AuditEvent, NewEvent } from './records.js';

/**
 * The one rule that keeps a gate decision on the log it is appended to (deploy, promote, rollback;
 * both backends). A change reads the chain head's seq before it decides (`decidedOn`); its append,
 * under the head's lock, reads the events appended since (`seqsSinceDecision`) and refuses when one
 * is about the same prompt: it may change what the gates say (a rollback of the version a promote
 * relies on, a tested mark withdrawn). The supersede that put the deployed content in place (the
 * deploy's own, taking back its draft) does not count. PostgreSQL then runs the whole transaction
 * again (session.ts), deciding on the log as it is now; SQLite's write transaction lets no other
 * writer in meanwhile.
 */
export class DecidedOnOlderLog extends UnavailableError {
  override name = 'DecidedOnOlderLog';
}

/** The seqs of the events appended since the decision read the head (none when it has not moved or nothing was decided). */
export function seqsSinceDecision(e: Pick<NewEvent, 'decidedOn'>, head: ChainHead | null): number[] {
  const now = head?.seq ?? 0;
  if (e.decidedOn === undefined || now <= e.decidedOn) return [];
  return Array.from({ length: now - e.decidedOn }, (_, i) => e.decidedOn! + 1 + i);
}

/** The refusal when `appended` (the events of seqsSinceDecision) hold one the decision did not see, or undefined. */
export function decidedOnOlderLog(e: NewEvent, appended: readonly AuditEvent[]): DecidedOnOlderLog | undefined {
  if (e.decidedOn === undefined) return undefined;
  const changed = appended.filter((x) => x.seq > e.decidedOn! && x.promptId === e.promptId && !putInPlace(x, e));
  const newest = changed.at(-1);
  if (!newest) return undefined;
  const what = `#${newest.seq} ${newest.action} ${newest.promptId}@${newest.version}${newest.env ? ` in ${newest.env}` : ''}`;
  return new DecidedOnOlderLog({
    message: `the audit log changed while the ${e.action} of ${e.promptId}@${e.version}${e.env ? ` in ${e.env}` : ''} was being decided: ${what} was appended after #${e.decidedOn}, the newest event the decision read`,
    why: 'a gate decision must rest on the log as it is when its event is appended; nothing was recorded.',
    hint: 'run the command again: it decides on the log as it is now (`promptctl history` shows what changed).',
  });
}

/** The supersede that made `e`'s content the version's registered content: what a deploy taking back its draft appends first. */
function putInPlace(x: AuditEvent, e: NewEvent): boolean {
  return x.action === 'supersede' && x.version === e.version && e.contentHash !== undefined && x.contentHash === e.contentHash;
}
