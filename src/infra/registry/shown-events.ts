import { checkShownEvents } from '../../core/audit-chain.js';
import type { AuditEvent, Registry } from './types.js';

/**
 * The warnings for events a command shows (status, get, export, history): each checked against the
 * chain around it (core checkShownEvents), so a forged row is never shown without a word. Two
 * small reads, whatever the size of the log.
 */
export async function shownEventWarnings(registry: Registry, shown: readonly AuditEvent[]): Promise<string[]> {
  if (!shown.length) return [];
  const seqs = [...new Set(shown.map((e) => e.seq + 1))];
  const [successors, head] = await Promise.all([registry.eventsAt(seqs), registry.chainHead()]);
  return checkShownEvents(shown, successors, head).map(
    (p) => `${p.problem}; what is shown from it may be forged (run \`promptctl audit verify\`)`,
  );
}
