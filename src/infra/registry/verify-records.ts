import { clockSkew, futureDated, timeInversion } from '../../core/audit-chain.js';
import type { SampleDigests } from '../../core/sample-digest.js';
import { misplacedEventProblem, pinsKeys, retirementWarnings, roleFor, signatureBreak, signerRole, signingStart, type PinnedKeys } from '../../core/signing.js';
import { sinceWarning } from '../../core/signing-since.js';
import { verifyHash } from '../ed25519.js';
import { editedRunClaim, type MarkedRunClaim } from '../../core/marked-run-claims.js';
import { isEnvironmentEvent } from './chained-marks.js';
import { contentProblem } from './content-check.js';
import type { AuditEvent, ChainVerdict, Registry } from './types.js';

/** How each claim a mark records of its run is said beside its stored value. */
const CLAIM_WORDS: Record<MarkedRunClaim, string> = { passRate: '', settings: 'it ran with the request settings ', grading: 'it was graded ' };

export interface VerifyClocks {
  local: string;
  server?: string;
}

/**
 * `audit verify` beyond the hash chain: what the chained events point at must still be what they
 * recorded. Every registered version's content has its hash; the version an environment event
 * deployed has the content hash the event names; the runs a tested mark rests on have the samples
 * it fingerprinted. Reads every version and every marked run's samples: for verify, not gates.
 * All in one snapshot (`readSnapshot`): read apart, a deploy of a version registered after the
 * versions were read, or a mark whose samples were written after the chain was, would look like
 * tampering on a registry others write to all day.
 */
export async function verifyRecords(
  registry: Registry,
  signing: PinnedKeys & { since?: number } = { evaluator: [], deployer: [] },
  /**
   * The verifying machine's time (ISO) and, on a registry with a clock of its own (PostgreSQL),
   * the server's, which dated its events: an event dated after the registry's time is warned of,
   * and so is this machine's clock when it disagrees with the server's.
   */
  now?: VerifyClocks,
): Promise<ChainVerdict> {
  return registry.readSnapshot((snapshot) => verifyInSnapshot(snapshot, signing, now));
}

async function verifyInSnapshot(registry: Registry, signing: PinnedKeys & { since?: number }, now: VerifyClocks | undefined): Promise<ChainVerdict> {
  const chain = await registry.verifyChain();
  if (!chain.ok) return chain.broken ? { ...chain, broken: { ...chain.broken, kind: 'chain' } } : chain;
  type Kind = NonNullable<ChainVerdict['broken']>['kind'];
  const broken = (seq: number, problem: string, kind: Kind = 'record', key?: NonNullable<ChainVerdict['broken']>['key']): ChainVerdict => ({ ok: false, events: chain.events, broken: { seq, problem, kind, ...(key ? { key } : {}) } });

  const versions = new Map((await registry.listVersions()).map((v) => [`${v.promptId}@${v.version}`, v]));
  for (const v of versions.values()) {
    const problem = contentProblem(v);
    if (problem) return broken(0, problem);
  }
  // Every content the registry holds, current or a draft's earlier one: what mark and supersede events must still find.
  const held = new Set([...versions.values()].map(heldKey));
  for (const v of await registry.listSupersededVersions()) {
    const problem = contentProblem(v, undefined, 'superseded');
    if (problem) return broken(0, problem);
    held.add(heldKey(v));
  }
  const digests = new Map<string, SampleDigests>();
  const signatures = { evaluator: 0, deployer: 0, unsigned: 0 };
  let signedSince: number | undefined;
  let previous: AuditEvent | undefined;
  const warnings: string[] = [];
  const aboutContent: AuditEvent[] = [];
  for (const e of await registry.listEvents()) {
    const backwards = timeInversion(previous, e);
    if (backwards) warnings.push(backwards);
    previous = e;
    // From the start of signing on (signing.since, else the first signed event), every event must be signed by a pinned key of its role.
    const signatureIssue = signatureBreak(e, signing, signingStart(signing.since, signedSince), verifyHash);
    if (signatureIssue) return broken(e.seq, signatureIssue.problem, 'signature', signatureIssue.key);
    // Its hash and signature hold, but the role that signed it was the evaluator's: it must not speak for an environment.
    const misplaced = misplacedEventProblem(e);
    if (misplaced) return broken(e.seq, misplaced);
    if (e.signature) {
      signedSince ??= e.seq;
      signatures[signerRole(e) ?? roleFor(e.action)]++;
    } else signatures.unsigned++;
    if (isEnvironmentEvent(e) && e.contentHash) {
      const v = versions.get(`${e.promptId}@${e.version}`);
      if (!v) return broken(e.seq, `event ${e.seq}: it deployed ${e.promptId}@${e.version}, which the registry no longer holds: the version row was deleted`);
      const problem = contentProblem(v, e);
      if (problem) return broken(e.seq, `event ${e.seq}: ${problem}`);
    }
    if (!isEnvironmentEvent(e)) aboutContent.push(e);
    if (e.action !== 'tested') continue;
    const suites = Array.isArray(e.detail?.suites) ? (e.detail.suites as Array<{ runId?: unknown; samples?: unknown }>) : [];
    for (const s of suites as Array<{ runId?: unknown; samples?: unknown; outputs?: unknown } & Partial<Record<MarkedRunClaim, unknown>>>) {
      if (typeof s.runId !== 'string') continue;
      // The run's stored summary is only a claim, but one reports show and gates count by: it must still say what the mark recorded.
      const run = await registry.getRun(s.runId);
      if (!run) return broken(e.seq, `event ${e.seq}: run ${s.runId.slice(0, 8)} that its tested mark rests on is gone from the registry`);
      const edited = run.summary && editedRunClaim(s, run.summary);
      if (edited) return broken(e.seq, `event ${e.seq}: the stored summary of run ${s.runId.slice(0, 8)} says ${CLAIM_WORDS[edited.claim]}${edited.stored}, its tested mark recorded ${edited.recorded}: the summary was edited`);
      if (typeof s.samples !== 'string') continue;
      let digest = digests.get(s.runId);
      if (digest === undefined) digests.set(s.runId, (digest = await registry.sampleDigests(s.runId)));
      if (digest.samples !== s.samples) {
        return broken(e.seq, `event ${e.seq}: the samples of run ${s.runId.slice(0, 8)} that its tested mark rests on were changed, added or deleted after the mark was earned`);
      }
      // Marks from before 0.2.0's output fingerprint carry none: their outputs are not vouched for.
      if (typeof s.outputs === 'string' && digest.outputs !== s.outputs) {
        return broken(e.seq, `event ${e.seq}: the outputs of run ${s.runId.slice(0, 8)} that its tested mark rests on (the answers, reasons or errors reports show) were changed after the mark was earned`);
      }
    }
  }
  // After the checks above, so a break they find (a swapped content, say) is reported in their words.
  for (const e of aboutContent) {
    const gone = contentGone(e, held);
    if (gone) return broken(e.seq, gone);
  }
  const anchored = signing.since === undefined ? {} : { anchoredSince: signing.since };
  if (now !== undefined) {
    // Dated by the server on a team registry, by this machine on SQLite.
    const [at, clock] = now.server === undefined ? [now.local, undefined] : [now.server, "the registry server's clock"];
    const ahead = previous && futureDated({ kind: 'event', seq: previous.seq, at: previous.at }, at, clock);
    if (ahead) warnings.push(ahead);
    // The run started last holds the latest run time but for a longer run finished after it: near enough for a warning.
    const [run] = await registry.newestRuns(undefined, 1);
    const runAhead = run && futureDated({ kind: 'run', id: run.id, at: run.endedAt ?? run.startedAt }, at, clock);
    if (runAhead) warnings.push(runAhead);
  }
  const skew = now?.server === undefined ? undefined : clockSkew(now.local, now.server);
  if (skew) warnings.push(skew);
  const since = sinceWarning(signing.since, signedSince, previous?.seq ?? 0);
  if (since) warnings.push(since);
  warnings.push(...retirementWarnings(signing, previous?.seq ?? 0));
  return { ...chain, ...(warnings.length ? { warnings } : {}), signatures: { ...signatures, pinned: pinsKeys(signing), ...(signedSince !== undefined ? { since: signedSince } : {}), ...anchored } };
}

const heldKey = (v: { promptId: string; version: string; contentHash: string }): string => `${v.promptId}@${v.version}#${v.contentHash}`;

/**
 * A mark or supersede event (about no environment) names contents of its version: the one marked,
 * or the draft's new and earlier one. Each content a draft had is kept (superseded_versions), so
 * one the registry no longer holds was deleted, and what the mark vouched for is gone with it.
 */
function contentGone(e: AuditEvent, held: ReadonlySet<string>): string | undefined {
  const supersededHash = e.action === 'supersede' && typeof e.detail?.supersededHash === 'string' ? e.detail.supersededHash : undefined;
  for (const hash of [e.contentHash, supersededHash]) {
    if (!hash || held.has(heldKey({ promptId: e.promptId, version: e.version, contentHash: hash }))) continue;
    return `event ${e.seq}: its ${e.action} event names content sha256:${hash.slice(0, 12)}… of ${e.promptId}@${e.version}, which the registry no longer holds (neither as the version's content nor among a draft's earlier contents): the row was deleted`;
  }
  return undefined;
}
