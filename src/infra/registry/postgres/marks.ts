import type { EventSigner } from '../types.js';
import { markFor, marksForKeys, marksFromEvents, NO_ENV, sameMark, testedEvent, untestedEvent, type MarkInput } from '../chained-marks.js';
import type { MarkKey, TestedMark } from '../types.js';
import { appendEvent, listEvents, promptsMarkEvents } from './events.js';
import { atomic, type Session } from './session.js';
import { listPromptIds } from './versions.js';

/**
 * Tested marks as events of the audit chain (chained-marks.ts), mirroring sqlite-marks.ts: a mark
 * is the newest tested/untested event per (prompt, version, content hash, model).
 */

export function markTested(s: Session, mark: MarkInput): Promise<void> {
  return atomic(s, async (tx) => {
    if (sameMark(await getTestedMark(tx, mark.promptId, mark.version, mark.contentHash, mark.model), mark)) return;
    await appendEvent(tx, testedEvent(mark));
  });
}

export function revokeTestedMark(s: Session, promptId: string, version: string, contentHash: string, model: string, actor: string, sign?: EventSigner): Promise<boolean> {
  return atomic(s, async (tx) => {
    if (!(await getTestedMark(tx, promptId, version, contentHash, model))) return false;
    await appendEvent(tx, untestedEvent({ promptId, version, contentHash, model }, actor, sign));
    return true;
  });
}

export async function getTestedMark(s: Session, promptId: string, version: string, contentHash: string, model: string): Promise<TestedMark | undefined> {
  // Read per prompt, not per version: an edited mark event of any of its versions withdraws marks (chained-marks.ts).
  return markFor(marksFromEvents(await listEvents(s, { promptId, env: NO_ENV })), { version, contentHash, model });
}

/** Every key's mark from one read of their prompts' mark events. */
export async function getTestedMarks(s: Session, keys: readonly MarkKey[]): Promise<Array<TestedMark | undefined>> {
  if (keys.length === 0) return [];
  return marksForKeys(keys, await promptsMarkEvents(s, [...new Set(keys.map((k) => k.promptId))]));
}

export async function listTestedMarks(s: Session, promptId?: string): Promise<TestedMark[]> {
  const ids = promptId === undefined ? await listPromptIds(s) : [promptId];
  const marks: TestedMark[] = [];
  for (const id of ids) marks.push(...marksFromEvents(await listEvents(s, { promptId: id, env: NO_ENV })));
  return marks;
}
