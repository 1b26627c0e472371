import { checkShownEvents } from '../../core/audit-chain.js';
import type { SigningConfig } from '../../core/schemas/config.js';
import { pinsKeys, signatureProblem, signingStart } from '../../core/signing.js';
import { verifyHash } from '../ed25519.js';
import type { AuditEvent, Registry } from './types.js';

/**
 * The warnings for events a command shows (status, get, export, history): each checked against the
 * chain around it (core checkShownEvents), so a forged row is never shown without a word. A few
 * small reads, whatever the size of the log.
 */
export async function shownEventWarnings(registry: Registry, shown: readonly AuditEvent[], signing?: SigningConfig): Promise<string[]> {
  if (!shown.length) return [];
  const [chain, start] = await Promise.all([chainProblems(registry, shown), signing && startOfSigning(registry, shown, signing)]);
  const problems = chain.map((p) => p.problem);
  // A signing project: a signed event's signature must hold, and every shown event from the start of
  // signing on must be signed itself (an unsigned decoy before it hides nothing); unsigned events
  // from before signing began are history, not forgeries (audit verify's rule).
  for (const e of signing ? shown : []) {
    const problem = signatureProblem(e, signing!, start, verifyHash);
    if (problem) problems.push(problem);
  }
  return problems.map((p) => `${p}; what is shown from it may be forged (run \`promptctl audit verify\`)`);
}

/**
 * Where shown events do not verify against the chain around them (core checkShownEvents): their own
 * hash, their successors' links, the chain head. One small read, whatever the size of the log;
 * the warnings above and the library's refusal (registry-api.ts) both rest on it. Successors and
 * head come from one snapshot (chainAround): read apart, an append between them looks like a
 * deletion. The shown events may be older than that snapshot (read before it, while deploys go
 * on): the log only grows, so an event appended since is a successor whose link holds.
 */
export async function chainProblems(registry: Registry, shown: readonly AuditEvent[]): Promise<Array<{ seq: number; problem: string }>> {
  if (!shown.length) return [];
  const { events, head } = await registry.chainAround([...new Set(shown.map((e) => e.seq + 1))]);
  return checkShownEvents(shown, events, head);
}

/**
 * signing.since, else the first signed event, read only when a shown event is unsigned and keys are
 * pinned (a project that pins none has no signed event that counts: each is reported on its own).
 */
async function startOfSigning(registry: Registry, shown: readonly AuditEvent[], signing: SigningConfig) {
  const needsLog = pinsKeys(signing) && shown.some((e) => !e.signature);
  return signingStart(signing.since, needsLog ? await registry.firstSignedSeq() : undefined);
}
