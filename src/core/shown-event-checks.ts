import { computeEventHash, type ChainEvent, type ChainHead } from './audit-chain.js';

/**
 * What commands that show a few events (status, get, history) check without verifying the whole
 * log (`audit verify` does that, audit-chain.ts): each shown event against its own hash and its
 * neighbours, and the log's size against the chain head.
 */

const HEAD_MISSING = 'the chain head record is missing: the log was changed by hand';

/**
 * For status and history beside checkShownEvents: whether the log still holds as many events as the
 * chain head records. A deleted event none of them shows (an environment's only deploy) would
 * otherwise read as "never deployed"; one count finds it, whatever the size of the log.
 */
export function logCountProblem(count: number, head: ChainHead | null): string | undefined {
  if (!head) return count > 0 ? HEAD_MISSING : undefined;
  const missing = head.seq - count;
  if (missing > 0) return `${missing === 1 ? '1 event' : `${missing} events`} of the ${head.seq} the chain head records ${missing === 1 ? 'is' : 'are'} missing from the log: events were deleted`;
  if (missing < 0) return `the log holds ${count} events, more than the ${head.seq} the chain head records: events were added by hand`;
  return undefined;
}

/**
 * For commands that show a few events (status, get, history) without verifying the whole log:
 * each shown event against its own hash, the link its successor recorded, and the chain head. An
 * event rewritten with its hash recomputed still breaks its successor's link (or the head); only
 * a rewrite of everything after it too goes unseen here (`audit verify --since` catches that).
 */
export function checkShownEvents(shown: readonly ChainEvent[], successors: readonly ChainEvent[], head: ChainHead | null): Array<{ seq: number; problem: string }> {
  const next = new Map(successors.map((e) => [e.seq, e]));
  for (const e of shown) next.set(e.seq, next.get(e.seq) ?? e);
  const problems: Array<{ seq: number; problem: string }> = [];
  for (const e of shown) {
    const after = next.get(e.seq + 1);
    let problem: string | undefined;
    if (computeEventHash(e) !== e.hash) problem = `event #${e.seq} does not match its own hash: it was edited after it was written`;
    else if (after && after.prevHash !== e.hash) problem = `event #${e.seq} is not the event #${after.seq} was chained onto: it was rewritten`;
    else if (!after && !head) problem = HEAD_MISSING;
    else if (!after && head && head.seq > e.seq) problem = `event #${e.seq + 1} is missing although the chain head records #${head.seq}: events were deleted`;
    else if (!after && head && head.seq === e.seq && head.hash !== e.hash) problem = `event #${e.seq} differs from the one the chain head recorded: it was replaced`;
    else if (!after && head && head.seq < e.seq) problem = `event #${e.seq} comes after the recorded chain head (#${head.seq}): it was added by hand`;
    if (problem) problems.push({ seq: e.seq, problem });
  }
  return problems;
}
