import { checkShownEvents } from '../../core/audit-chain.js';
import type { SigningConfig } from '../../core/schemas/config.js';
import { unsignedProblem } from '../signing.js';
import type { AuditEvent, Registry } from './types.js';

/**
 * The warnings for events a command shows (status, get, export, history): each checked against the
 * chain around it (core checkShownEvents), so a forged row is never shown without a word. Two
 * small reads, whatever the size of the log.
 */
export async function shownEventWarnings(registry: Registry, shown: readonly AuditEvent[], signing?: SigningConfig): Promise<string[]> {
  if (!shown.length) return [];
  const seqs = [...new Set(shown.map((e) => e.seq + 1))];
  const [successors, head] = await Promise.all([registry.eventsAt(seqs), registry.chainHead()]);
  const problems = checkShownEvents(shown, successors, head).map((p) => p.problem);
  // A signing project: each shown event needs its role's valid signature.
  for (const e of signing ? shown : []) {
    const problem = unsignedProblem(e, signing!);
    if (problem) problems.push(problem);
  }
  return problems.map((p) => `${p}; what is shown from it may be forged (run \`promptctl audit verify\`)`);
}
