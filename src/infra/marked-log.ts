import { verifyEvents } from '../core/audit-chain.js';
import { UnavailableError } from '../core/errors.js';
import type { SigningConfig } from '../core/schemas/signing-config.js';
import { keyStandingHint, misplacedEventProblem, signatureBreak, signingStart, type SignatureBreak } from '../core/signing.js';
import { verifyHash } from './ed25519.js';
import type { Registry, TestedMark } from './registry/types.js';

/**
 * In a signing project a database writer cannot add a mark, but could make a withdrawn one count
 * again: delete the `untested` event after it, or edit it onto another prompt or environment, where
 * the reads of the prompt's marks no longer see it (chained-marks.ts), then recompute the hashes
 * after it. So a signed mark counts only while the log from its event to the head holds: every
 * event there, whatever its prompt, has its own hash, its link and its place, and the newest one
 * its signature. Read from the oldest mark asked about, in one snapshot; a part already verified
 * against the same head is not read again (`status` asks once per environment). A break is exit 3.
 */

/** Per registry: the oldest seq verified up to a head, so later asks against that head cost one head read. */
const verified = new WeakMap<Registry, { from: number; seq: number; hash: string }>();

export async function requireIntactAfterMarks(registry: Registry, signing: SigningConfig, marks: ReadonlyArray<TestedMark | undefined>): Promise<void> {
  const seqs = marks.flatMap((m) => (m?.event ? [m.event.seq] : []));
  if (!seqs.length) return;
  const first = Math.min(...seqs);
  const head = await registry.chainHead();
  const known = verified.get(registry);
  if (head && known && known.from <= first && known.seq === head.seq && known.hash === head.hash) return;
  const broken = await breakAfter(registry, signing, first, head);
  if (!broken) {
    if (head) verified.set(registry, { from: first, seq: head.seq, hash: head.hash });
    return;
  }
  throw new UnavailableError({
    message: `the audit log after tested mark #${first} does not verify: ${broken.problem}`,
    why: 'a mark counts only while no event after it was deleted, edited or forged: a withdrawn mark (its untested event removed, or moved onto another prompt or environment) would count again.',
    // A key rotated out without signing.retired, or retired too early, is fixed in the config (audit verify's and get's hint).
    hint: broken.key ? keyStandingHint(broken.key) : 'run `promptctl audit verify` to see the break, then restore the registry from a backup and find out who changed it.',
  });
}

async function breakAfter(registry: Registry, signing: SigningConfig, first: number, head: { seq: number; hash: string } | null): Promise<SignatureBreak | undefined> {
  if (!head || head.seq < first) return { problem: `the chain head (${head ? `#${head.seq}` : 'none'}) is before the mark's own event: the head was changed by hand` };
  const asked = Array.from({ length: head.seq - first + 1 }, (_, i) => first + i);
  const { events, head: now } = await registry.chainAround(asked);
  const start = events[0];
  if (start?.seq !== first) return { problem: `event ${first}, the tested mark's own event, is gone` };
  // The log only grows: the head read in the snapshot may be newer than the one the range was taken to.
  const chain = verifyEvents(events, now && now.seq === head.seq ? now : { seq: head.seq, hash: events.at(-1)!.hash }, { seq: first, prevHash: start.prevHash });
  if (!chain.ok) return { problem: chain.broken?.problem ?? 'the chain does not verify' };
  for (const e of events) {
    const misplaced = misplacedEventProblem(e);
    if (misplaced) return { problem: misplaced };
  }
  // Hashes recomputed from an edit on change every hash up to the head: the newest event's
  // signature (over its old hash) no longer verifies. One verification, not one per event (50,000
  // of them took 11 s); a log cut back to before the edit is what anchored heads catch.
  const since = signingStart(signing.since, signing.since === undefined ? await registry.firstSignedSeq() : undefined);
  return signatureBreak(events.at(-1)!, signing, since, verifyHash);
}
