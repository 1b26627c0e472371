import { registeredHashesOf } from '../../core/sent-schemas.js';
import { UnavailableError } from '../../core/errors.js';
import type { AuditEvent, VersionRecord } from './types.js';

/**
 * Registered content is re-hashed on every read that serves or judges it (get, export, the
 * library, deploy), so a row edited in the database is never handed out under the hash it was
 * tested with. A mismatch is exit 3 naming the version; the content is not served.
 */

/** Why a registered version (`kept`: or a draft's earlier content, superseded) cannot be trusted, or undefined when its content has its hash. */
export function contentProblem(record: VersionRecord, deployed?: Pick<AuditEvent, 'seq' | 'contentHash'>, kept: 'registered' | 'superseded' = 'registered'): string | undefined {
  // Either form (core/sent-schemas.ts): content with a sent schema is hashed after a fixed line since 0.2.0.
  const [actual, orderKept] = registeredHashesOf(record.content);
  if (actual !== record.contentHash && orderKept !== record.contentHash) {
    const which = kept === 'registered' ? 'the registered content of' : 'a superseded (earlier) content of the draft';
    return `${which} ${record.promptId}@${record.version} hashes to sha256:${actual.slice(0, 12)}…, not the sha256:${record.contentHash.slice(0, 12)}… it was registered with: the row was edited in the database`;
  }
  if (deployed?.contentHash && deployed.contentHash !== record.contentHash) {
    return `event #${deployed.seq} deployed ${record.promptId}@${record.version} with content sha256:${deployed.contentHash.slice(0, 12)}…, but the registry now holds sha256:${record.contentHash.slice(0, 12)}…: the content was swapped`;
  }
  return undefined;
}

/** How a caller words the refusal: what it would have done with the content, and what to do instead. */
export interface ContentRefusal {
  /** Replaces "<id>@<version> cannot be served" at the start of the message. */
  doing?: string;
  hint?: string;
}

/** The record, when its content is what was registered (and, given the event that deployed it, what was deployed); else exit 3. */
export function requireIntactContent(record: VersionRecord, deployed?: Pick<AuditEvent, 'seq' | 'contentHash'>, refusal: ContentRefusal = {}): VersionRecord {
  const problem = contentProblem(record, deployed);
  if (!problem) return record;
  throw new UnavailableError({
    message: `${refusal.doing ?? `${record.promptId}@${record.version} cannot be served`}: ${problem}`,
    why: 'serving it would hand out content that was never tested under that hash.',
    hint: refusal.hint ?? 'run `promptctl audit verify`, then restore the registry from a backup and find out who changed it.',
  });
}

/**
 * The registered row of a version an event deployed; exit 3 when it was deleted. Deploy always
 * registers the version first, so a missing row is damage: never "nothing deployed" (an
 * application would fall back to another prompt) and never a rollback that `get` cannot serve.
 */
export function requireDeployedRow(record: VersionRecord | undefined, deployed: Pick<AuditEvent, 'seq' | 'promptId' | 'version'>, refusal: ContentRefusal = {}): VersionRecord {
  if (record) return record;
  throw new UnavailableError({
    message: `${refusal.doing ?? `${deployed.promptId}@${deployed.version} cannot be served`}: ${rowDeleted(deployed)}`,
    why: 'the content that was tested and deployed under that version is gone from the registry.',
    hint: refusal.hint ?? 'run `promptctl audit verify`, then restore the registry from a backup and find out who deleted it.',
  });
}

const rowDeleted = (deployed: Pick<AuditEvent, 'seq' | 'promptId' | 'version'>): string =>
  `event #${deployed.seq} deployed ${deployed.promptId}@${deployed.version}, which the registry no longer holds: the version row was deleted`;

/**
 * `status`'s word on the versions environments serve that `get` and `export` would refuse (the
 * rules above): one warning per version, naming every environment that serves it, so a row does
 * not read as a sound release (or as a draft, its row gone) while applications cannot load it.
 */
export function servedContentWarnings(served: ReadonlyArray<{ env: string; record: VersionRecord | undefined; deployed: AuditEvent }>, suspect: ReadonlySet<number>): string[] {
  const byRef = new Map<string, { problem: string; envs: string[] }>();
  for (const { env, record, deployed } of served) {
    // A deploy event that does not verify is warned of as such (shownEventReport, its seq in `suspect`): what it records says nothing about the row.
    const problem = record ? contentProblem(record, suspect.has(deployed.seq) ? undefined : deployed) : rowDeleted(deployed);
    if (!problem) continue;
    const ref = `${deployed.promptId}@${deployed.version}`;
    const seen = byRef.get(ref);
    if (seen) seen.envs.push(env);
    else byRef.set(ref, { problem, envs: [env] });
  }
  return [...byRef].map(([ref, { problem, envs }]) => `${ref} in ${envs.join(', ')}: ${problem}; get and export refuse to serve it (run \`promptctl audit verify\`, then restore the registry from a backup)`);
}
