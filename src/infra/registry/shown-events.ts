import { UnavailableError } from '../../core/errors.js';
import { checkShownEvents, logCountProblem } from '../../core/shown-event-checks.js';
import type { SigningConfig } from '../../core/schemas/signing-config.js';
import { sinceWarning } from '../../core/signing-since.js';
import { keyStandingHint, pinsKeys, signatureBreak, signingStart, type SignatureBreak } from '../../core/signing.js';
import { verifyHash } from '../ed25519.js';
import type { AuditEvent, Registry } from './types.js';

export interface EventProblem {
  seq: number;
  problem: string;
  /** The break is the signing key's standing, not the event: a key no one pinned, or one used past its retirement. */
  key?: SignatureBreak['key'];
}

/**
 * Where events a command shows or serves do not verify: against the chain around them (core
 * checkShownEvents), and in a signing project against their signatures. A few small reads,
 * whatever the size of the log.
 */
export async function shownEventProblems(registry: Registry, shown: readonly AuditEvent[], signing?: SigningConfig): Promise<EventProblem[]> {
  if (!shown.length) return [];
  const [chain, start] = await Promise.all([chainProblems(registry, shown), signing && startOfSigning(registry, shown, signing)]);
  const problems = [...chain];
  // A signing project: a signed event's signature must hold, and every shown event from the start of
  // signing on must be signed itself (an unsigned decoy before it hides nothing); unsigned events
  // from before signing began are history, not forgeries (audit verify's rule).
  for (const e of signing ? shown : []) {
    const broken = signatureBreak(e, signing!, start, verifyHash);
    if (broken) problems.push({ seq: e.seq, ...broken });
  }
  return problems;
}

/**
 * The warnings of the commands that display events (status, history): what they show is still
 * shown, with a word, so a forged row is never shown as sound.
 */
export async function shownEventWarnings(registry: Registry, shown: readonly AuditEvent[], signing?: SigningConfig): Promise<string[]> {
  return (await shownEventReport(registry, shown, signing)).warnings;
}

/** shownEventWarnings, and the shown events they name: what those record (a content hash) is not to be relied on. */
export async function shownEventReport(registry: Registry, shown: readonly AuditEvent[], signing?: SigningConfig): Promise<{ warnings: string[]; suspect: Set<number> }> {
  const found = await shownEventProblems(registry, shown, signing);
  const problems = found.map((p) => p.problem);
  const since = signing?.since === undefined ? undefined : await sinceWarningOf(registry, signing.since);
  const forged = [...[...new Set(problems)].map((p) => `${p}; what is shown from it may be forged (run \`promptctl audit verify\`)`), ...(since ? [since] : [])];
  const suspect = new Set(found.map((p) => p.seq));
  // Checked even when nothing is shown: deleting an environment's only deploy leaves nothing to show.
  // Said once: a shown event may already name the head missing or the events deleted after it.
  const counted = await logCountWarning(registry);
  const kind = counted && COUNT_KINDS.find((k) => counted.endsWith(k.ending));
  if (!counted || problems.some((p) => p === counted || (kind && p.endsWith(kind.ending)))) return { warnings: forged, suspect };
  return { warnings: [...forged, `${counted}; ${kind ? kind.meaning : 'what is shown may not be all the log held'} (\`promptctl audit verify\` names where)`], suspect };
}

/** audit verify's warning of a signing.since that anchors less than the log holds (core sinceWarning), read in one snapshot. */
async function sinceWarningOf(registry: Registry, since: number): Promise<string | undefined> {
  const { first, head } = await registry.readSnapshot(async (s) => ({ first: await s.firstSignedSeq(), head: await s.chainHead() }));
  return sinceWarning(since, first, head?.seq ?? 0);
}

/** What each kind of count problem (core/shown-event-checks.ts logCountProblem) means for what is shown, by the ending they share with a shown event's problem. */
const COUNT_KINDS = [
  { ending: 'events were deleted', meaning: 'what is shown may leave out what was deleted' },
  { ending: 'added by hand', meaning: 'what is shown may include what was added by hand' },
] as const;

/** The events counted and the chain head in one snapshot: read apart, an append between them would look like an event added by hand. */
async function logCountWarning(registry: Registry): Promise<string | undefined> {
  const { count, head } = await registry.readSnapshot(async (s) => ({ count: await s.countEvents(), head: await s.chainHead() }));
  return logCountProblem(count, head);
}

/**
 * A deploy record that does not verify against the chain around it (or, for the CLI of a signing
 * project, against its signature): exit 3, as an unreachable registry, so a reader serves its last
 * good value stale. But the registry did answer, at once: the reader asks again on its next call
 * instead of backing off (registry-cache.ts), so a record restored from a backup is served as soon
 * as it verifies, never seconds of the old value later.
 */
export class UnverifiedRecordError extends UnavailableError {
  override name = 'UnverifiedRecordError';
}

export interface VerifyServedOptions {
  /** The project's signing config: the CLI has it (.promptrc.yaml); the library reads only the registry. */
  signing?: SigningConfig;
  /** What the reader does next; the library's reader serves its last good value. */
  hint?: string;
}

/**
 * Refuses (exit 3) events whose content is served (the library's getActive and exportEnv, `get`,
 * `export`) when they do not verify: one rule for everything that hands a prompt on, where
 * status and history, which only display, warn (shownEventWarnings).
 */
export async function requireVerifiedEvents(registry: Registry, events: readonly AuditEvent[], opts: VerifyServedOptions = {}): Promise<void> {
  const problems = await shownEventProblems(registry, events, opts.signing);
  if (!problems.length) return;
  const bySeq = new Map(events.map((e) => [e.seq, e]));
  const named = [...new Set(problems.map((p) => {
    const e = bySeq.get(p.seq);
    return e ? `${e.promptId}@${e.version} in ${e.env}` : `event #${p.seq}`;
  }))];
  // A key rotated out of .promptrc.yaml without signing.retired breaks every read the same way: its fix is the config, not a backup.
  const key = problems.every((p) => p.key) ? problems[0]!.key : undefined;
  throw new UnverifiedRecordError({
    message: `the registry's deploy record of ${named.join(', ')} does not verify: it may be forged`,
    why: problems.map((p) => p.problem).join('; '),
    hint: key ? keyStandingHint(key) : (opts.hint ?? RESTORE_HINT),
  });
}

const RESTORE_HINT = 'have the registry checked (`promptctl audit verify`) and restored from a backup; until then a reader serves its last good value, marked stale';

/**
 * What a read serves or a decision stands on for one prompt in one environment: its newest event
 * verified (requireVerifiedEvents), or, with none, the log whole (requireNothingDeleted).
 */
export async function requireWholeRecord(registry: Registry, events: readonly AuditEvent[], asked: string, opts: VerifyServedOptions = {}): Promise<void> {
  const newest = events.at(-1);
  if (newest) await requireVerifiedEvents(registry, [newest], opts);
  else await requireNothingDeleted(registry, asked, opts);
}

/**
 * Where a read that hands on what is deployed finds nothing (`get`, `export`, the library's
 * getActive and exportEnv, rollback's plan): there is no event to check, so the log's size against
 * the chain head (core logCountProblem) tells "never deployed" from a deploy record deleted, the
 * environment's only one included. Refuses (exit 3) as requireVerifiedEvents does; `asked` names
 * what was read ("support-answer in production").
 */
export async function requireNothingDeleted(registry: Registry, asked: string, opts: Pick<VerifyServedOptions, 'hint'> = {}): Promise<void> {
  const problem = await logCountWarning(registry);
  if (!problem) return;
  throw new UnverifiedRecordError({
    message: `the registry holds no deploy record of ${asked}, and its audit log does not verify: the record may have been deleted`,
    why: problem,
    hint: opts.hint ?? RESTORE_HINT,
  });
}

/**
 * Where shown events do not verify against the chain around them (core checkShownEvents): their own
 * hash, their successors' links, the chain head. One small read, whatever the size of the log;
 * the warnings and the refusal above both rest on it. Successors and
 * head come from one snapshot (chainAround): read apart, an append between them looks like a
 * deletion. The shown events may be older than that snapshot (read before it, while deploys go
 * on): the log only grows, so an event appended since is a successor whose link holds.
 */
export async function chainProblems(registry: Registry, shown: readonly AuditEvent[]): Promise<EventProblem[]> {
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
