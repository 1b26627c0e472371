import { checkShownEvents } from '../../core/audit-chain.js';
import type { SigningConfig } from '../../core/schemas/config.js';
import { signatureProblem } from '../../core/signing.js';
import { verifyHash } from '../ed25519.js';
import type { AuditEvent, Registry } from './types.js';

/**
 * The warnings for events a command shows (status, get, export, history): each checked against the
 * chain around it (core checkShownEvents), so a forged row is never shown without a word. Two
 * small reads, whatever the size of the log.
 */
export async function shownEventWarnings(registry: Registry, shown: readonly AuditEvent[], signing?: SigningConfig): Promise<string[]> {
  if (!shown.length) return [];
  // Each shown event's successor (the chain around it) and, in a signing project, its predecessor.
  const seqs = [...new Set(shown.flatMap((e) => (signing ? [e.seq + 1, e.seq - 1] : [e.seq + 1])))];
  const [around, head] = await Promise.all([registry.eventsAt(seqs), registry.chainHead()]);
  const problems = checkShownEvents(shown, around, head).map((p) => p.problem);
  // A signing project: a signed event's signature must hold, and an event after a signed one must be
  // signed; unsigned events from before signing began are history, not forgeries (audit verify's rule).
  const at = new Map(around.map((e) => [e.seq, e]));
  for (const e of signing ? shown : []) {
    const required = signing!.since !== undefined ? { seq: signing!.since, anchored: true } : Boolean(at.get(e.seq - 1)?.signature);
    const problem = signatureProblem(e, signing!, required, verifyHash);
    if (problem) problems.push(problem);
  }
  return problems.map((p) => `${p}; what is shown from it may be forged (run \`promptctl audit verify\`)`);
}
