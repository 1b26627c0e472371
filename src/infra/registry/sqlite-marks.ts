import type { Clock } from '../clock.js';
import { isEnvironmentEvent, markFor, marksForKeys, marksFromEvents, NO_ENV, sameMark, supersedeEvent, testedEvent, untestedEvent, type MarkInput } from './chained-marks.js';
import type { EventLog } from './sqlite-events.js';
import type { VersionStore } from './sqlite-versions.js';
import type { WriteTransactions } from './sqlite-writes.js';
import type { EventSigner, MarkKey, RegisterOutcome, TestedMark, VersionKey, VersionRecord } from './types.js';

/**
 * The SQLite registry's version and tested-mark calls, mirroring postgres/versions.ts and
 * postgres/marks.ts: a version is never overwritten, and a draft's content is replaced only before
 * an environment event names it; a mark is the newest tested/untested event of the chain
 * (chained-marks.ts) per (prompt, version, content hash, model). The tables only read and write
 * (sqlite-versions.ts, sqlite-events.ts); the decisions are here, each read and write of one in a
 * single write transaction of the store, so no other process decides in between.
 */

export type VersionAndMarkCalls = ReturnType<typeof versionAndMarkCalls>;

/** The calls as plain functions over the store's tables; sqlite-store.ts puts them on the store. */
export function versionAndMarkCalls(store: { versions: VersionStore; events: EventLog; writes: WriteTransactions; clock: Pick<Clock, 'date'> }) {
  const { versions, events, writes, clock } = store;
  const now = () => clock.date().toISOString();

  // Read per prompt, not per version: an edited mark event of any of its versions withdraws marks (chained-marks.ts).
  function getTestedMark(promptId: string, version: string, contentHash: string, model: string): TestedMark | undefined {
    return markFor(marksFromEvents(events.listEvents({ promptId, env: NO_ENV })), { version, contentHash, model });
  }

  return {
    registerVersion(v: Omit<VersionRecord, 'createdAt'>): RegisterOutcome {
      return writes.run(() => {
        const existing = versions.get(v.promptId, v.version);
        // Never overwrite: a different hash is a draft's new content (supersedeVersion) or an edited release (core/version-state.ts decides).
        if (existing) return { status: existing.contentHash === v.contentHash ? 'same' : 'changed', record: existing };
        const record: VersionRecord = { ...v, createdAt: now() };
        versions.insert(record);
        return { status: 'new', record };
      });
    },

    supersedeVersion(v: Omit<VersionRecord, 'createdAt'>, actor: string, sign?: EventSigner): { superseded: VersionRecord; record: VersionRecord } | undefined {
      return writes.run(() => {
        const old = versions.get(v.promptId, v.version);
        if (!old || old.contentHash === v.contentHash) return undefined;
        // Checked inside the write transaction: a deploy cannot slip in between the check and the swap.
        if (events.listEvents({ promptId: v.promptId }).some((e) => e.version === v.version && isEnvironmentEvent(e))) return undefined;
        const record: VersionRecord = { ...v, createdAt: now() };
        versions.replace(old, record);
        // Chained, so the swap of a draft's content is on the record like any other change.
        events.append(supersedeEvent(old, record, actor, sign));
        return { superseded: old, record };
      });
    },

    getVersion: (promptId: string, version: string): VersionRecord | undefined => versions.get(promptId, version),
    getVersions: (keys: readonly VersionKey[]): Array<VersionRecord | undefined> => versions.getMany(keys),
    listVersions: (promptId?: string): VersionRecord[] => versions.list(promptId),
    listSupersededVersions: (): VersionRecord[] => versions.superseded(),
    listPromptIds: (): string[] => versions.promptIds(),

    markTested(mark: MarkInput): void {
      writes.run(() => {
        if (sameMark(getTestedMark(mark.promptId, mark.version, mark.contentHash, mark.model), mark)) return;
        events.append(testedEvent(mark));
      });
    },

    revokeTestedMark(promptId: string, version: string, contentHash: string, model: string, actor: string, sign?: EventSigner): boolean {
      return writes.run(() => {
        if (!getTestedMark(promptId, version, contentHash, model)) return false;
        events.append(untestedEvent({ promptId, version, contentHash, model }, actor, sign));
        return true;
      });
    },

    getTestedMark,

    getTestedMarks: (keys: readonly MarkKey[]): Array<TestedMark | undefined> => marksForKeys(keys, [...new Set(keys.map((k) => k.promptId))].flatMap((promptId) => events.listEvents({ promptId, env: NO_ENV }))),

    listTestedMarks(promptId?: string): TestedMark[] {
      const ids = promptId === undefined ? versions.promptIds() : [promptId];
      return ids.flatMap((id) => marksFromEvents(events.listEvents({ promptId: id, env: NO_ENV })));
    },
  };
}
