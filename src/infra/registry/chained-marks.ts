import { computeEventHash } from '../../core/audit-chain.js';
import { canonicalJson } from '../../core/canonical.js';
import type { AuditEvent, EventSigner, MarkKey, NewEvent, TestedMark, VersionRecord } from './types.js';
import { groupBy } from '../../core/group.js';

/**
 * Tested marks are events of the audit chain, not rows of their own: a mark row could be inserted
 * by hand and no hash would notice, while a `tested` event is chained (and anchored, and signed
 * where signatures are on). Both backends store them with their other events and read them back
 * through these functions, so a mark means the same on SQLite and on PostgreSQL.
 */

/** The env of events about no environment (tested, untested, supersede). */
export const NO_ENV = '';

/** Whether an event changed an environment (deploy, rollback, override), as history and rollback read them. */
export function isEnvironmentEvent(e: Pick<AuditEvent, 'env'>): boolean {
  return e.env !== NO_ENV;
}

export type MarkInput = Omit<TestedMark, 'createdAt' | 'source' | 'event'> & { sign?: EventSigner };

export function testedEvent(mark: MarkInput): NewEvent {
  return {
    env: NO_ENV,
    promptId: mark.promptId,
    version: mark.version,
    previousVersion: null,
    action: 'tested',
    actor: mark.actor,
    reason: null,
    contentHash: mark.contentHash,
    detail: { model: mark.model, suites: mark.suites, ...(mark.invocationId ? { invocationId: mark.invocationId } : {}) },
    ...(mark.sign ? { sign: mark.sign } : {}),
  };
}

export function untestedEvent(key: { promptId: string; version: string; contentHash: string; model: string }, actor: string, sign?: EventSigner): NewEvent {
  return { env: NO_ENV, promptId: key.promptId, version: key.version, previousVersion: null, action: 'untested', actor, reason: null, contentHash: key.contentHash, detail: { model: key.model }, ...(sign ? { sign } : {}) };
}

/** A never-deployed draft's content replaced by its revision (`promptctl ci`): the event names the new content. */
export function supersedeEvent(old: Pick<VersionRecord, 'promptId' | 'version' | 'contentHash'>, next: Pick<VersionRecord, 'contentHash'>, actor: string, sign?: EventSigner): NewEvent {
  return { env: NO_ENV, promptId: old.promptId, version: old.version, previousVersion: null, action: 'supersede', actor, reason: null, contentHash: next.contentHash, detail: { supersededHash: old.contentHash }, ...(sign ? { sign } : {}) };
}

/** A new mark changes nothing when the one that counts has the same suites, runs and pass rates. */
export function sameMark(current: TestedMark | undefined, next: MarkInput): boolean {
  return current !== undefined && canonicalJson(current.suites) === canonicalJson(next.suites);
}

/**
 * The mark rests on runs of the same suites, content, settings, pass rates and samples as `suites`,
 * run ids aside: what a re-run answered wholly from the cache reproduces (eval/marks.ts).
 */
export function sameEvidence(current: TestedMark | undefined, suites: TestedMark['suites']): boolean {
  const withoutRuns = (list: TestedMark['suites']) => canonicalJson(list.map(({ runId: _, ...rest }) => rest));
  return current !== undefined && withoutRuns(current.suites) === withoutRuns(suites);
}

/**
 * The marks that count, from a prompt's mark events (every event about no environment) in seq
 * order: per (prompt, version, content hash, model) the newest tested or untested event, kept when
 * it is `tested`. An event whose detail does not have a mark's shape counts as no mark. One that no
 * longer matches its own hash had its row edited after it was written (another version, content or
 * model put in, the hash and the evaluator's signature left as they were; a signature vouches only
 * for the hash it signed): what it named before the edit is unknown, so it withdraws every mark of
 * the prompt before it. An edit never makes a mark count: neither an edited `tested` event, nor an
 * `untested` one moved onto another version or model, which would leave the mark it withdrew
 * standing again. A mark earned after it (a new eval) counts.
 */
export function marksFromEvents(events: readonly AuditEvent[]): TestedMark[] {
  const newest = new Map<string, TestedMark | undefined>();
  for (const e of events) {
    if (e.env !== NO_ENV) continue;
    if (computeEventHash(e) !== e.hash) {
      newest.clear();
      continue;
    }
    if ((e.action !== 'tested' && e.action !== 'untested') || !e.contentHash) continue;
    const model = e.detail?.model;
    if (typeof model !== 'string') continue;
    const key = canonicalJson([e.promptId, e.version, e.contentHash, model]);
    newest.set(key, e.action === 'tested' ? markOf(e, model) : undefined);
  }
  return [...newest.values()].filter((m): m is TestedMark => m !== undefined);
}

/**
 * The mark that counts for each key, as `getTestedMark` answers it, from the mark events of the
 * keys' prompts (seq order): one read serves every key.
 */
export function marksForKeys(keys: readonly MarkKey[], events: readonly AuditEvent[]): Array<TestedMark | undefined> {
  const eventsOf = groupBy(events, (e) => e.promptId);
  const marksOf = new Map<string, TestedMark[]>();
  return keys.map((k) => {
    if (!marksOf.has(k.promptId)) marksOf.set(k.promptId, marksFromEvents(eventsOf.get(k.promptId) ?? []));
    return markFor(marksOf.get(k.promptId)!, k);
  });
}

/** The mark of one (version, content hash, model) among a prompt's marks. */
export function markFor(marks: readonly TestedMark[], k: Omit<MarkKey, 'promptId'>): TestedMark | undefined {
  return marks.find((m) => m.version === k.version && m.contentHash === k.contentHash && m.model === k.model);
}

function markOf(e: AuditEvent, model: string): TestedMark | undefined {
  const suites = e.detail?.suites;
  if (!Array.isArray(suites) || !suites.every(isSuiteEntry)) return undefined;
  const invocationId = e.detail?.invocationId;
  return {
    promptId: e.promptId,
    version: e.version,
    contentHash: e.contentHash!,
    model,
    source: 'run',
    suites,
    ...(typeof invocationId === 'string' ? { invocationId } : {}),
    actor: e.actor,
    createdAt: e.at,
    event: { seq: e.seq, action: e.action, hash: e.hash, ...(e.signer ? { signer: e.signer } : {}), ...(e.signature ? { signature: e.signature } : {}) },
  };
}

function isSuiteEntry(x: unknown): x is TestedMark['suites'][number] {
  if (typeof x !== 'object' || x === null) return false;
  const s = x as Record<string, unknown>;
  return (
    typeof s.suite === 'string' &&
    (s.kind === 'golden' || s.kind === 'adversarial') &&
    typeof s.passRate === 'number' &&
    typeof s.runId === 'string' &&
    (s.suiteHash === undefined || typeof s.suiteHash === 'string') &&
    (s.samples === undefined || typeof s.samples === 'string') &&
    (s.settings === undefined || typeof s.settings === 'string') &&
    (s.grading === undefined || isGrading(s.grading))
  );
}

function isGrading(x: unknown): boolean {
  if (typeof x !== 'object' || x === null) return false;
  const g = x as Record<string, unknown>;
  return (g.rubric === undefined || typeof g.rubric === 'string') && (g.safety === undefined || g.safety === null || typeof g.safety === 'string');
}
