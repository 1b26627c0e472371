import { verifyEvents } from '../core/audit-chain.js';
import { UnavailableError } from '../core/errors.js';
import type { Registry, TestedMark } from './registry/types.js';

/**
 * In a signing project a database writer cannot add a mark, but could make a withdrawn one count
 * again: delete the `untested` event after it, or edit it onto another prompt or environment, where
 * the reads of the prompt's marks no longer see it (chained-marks.ts). So a signed mark counts only
 * while the log from its event to the head verifies: every event there, whatever its prompt, has
 * its own hash, its link and its place. Read from the oldest mark asked about, in one snapshot;
 * one read for a gate, however many marks. A break is exit 3, as every read of a damaged log.
 */
export async function requireIntactAfterMarks(registry: Registry, marks: ReadonlyArray<TestedMark | undefined>): Promise<void> {
  const seqs = marks.flatMap((m) => (m?.event ? [m.event.seq] : []));
  if (!seqs.length) return;
  const first = Math.min(...seqs);
  const head = await registry.chainHead();
  if (!head || head.seq < first) return;
  const asked = Array.from({ length: head.seq - first + 1 }, (_, i) => first + i);
  const { events, head: now } = await registry.chainAround(asked);
  const start = events[0];
  // The log only grows: the head read in the snapshot may be newer than the one the range was taken to.
  const verdict = verifyEvents(events, now && now.seq === head.seq ? now : { seq: head.seq, hash: events.at(-1)?.hash ?? '' }, { seq: first, prevHash: start?.seq === first ? start.prevHash : '' });
  if (verdict.ok && start?.seq === first) return;
  const problem = verdict.broken?.problem ?? `event ${first}, the tested mark's own event, is gone`;
  throw new UnavailableError({
    message: `the audit log after tested mark #${first} does not verify: ${problem}`,
    why: 'a mark counts only while no event after it was deleted or edited: a withdrawn mark (its untested event removed, or moved onto another prompt or environment) would count again.',
    hint: 'run `promptctl audit verify` to see the break, then restore the registry from a backup and find out who changed it.',
  });
}
