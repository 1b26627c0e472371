import { GateError } from '../../../core/errors.js';
import type { LeftLocalRun, LeftLocalVersion } from '../push-outcome.js';
import type { Row } from '../sqlite-export.js';
import { rows, type Session } from './session.js';

/**
 * The local drafts a push leaves in the local registry: a version no local event named an
 * environment for, whose number the team registry holds with other content (released there, or a
 * draft of its own). Such a draft cannot be registered there (a version never changes), and
 * refusing the whole push for it made the registry unpushable for ever: no command removes a
 * registered draft, and the flow ci itself advises (rename the file to the next number) leaves the
 * old draft behind. So the draft, its superseded rows and the runs recorded on its content stay
 * local, nothing on the team registry changes, and the push lists them with why. A version this
 * registry released with other content is still refused: two registries then disagree about what
 * was served.
 */

export const refOf = (r: Row): string => `${r.prompt_id}@${r.version}`;

/** The versions an event of the local log named an environment for (deploy, rollback). */
export function releasedRefs(events: Row[]): Set<string> {
  return new Set(events.filter((e) => e.env !== '').map(refOf));
}

export interface TargetVersions {
  hashes: Map<string, string>;
  /** `ref#hash` of its superseded rows. */
  superseded: Set<string>;
  released: Set<string>;
}

export async function targetVersions(s: Session): Promise<TargetVersions> {
  const hashes = new Map((await rows<Row>(s, 'SELECT prompt_id, version, content_hash FROM prompt_versions')).map((r) => [refOf(r), String(r.content_hash)]));
  const superseded = new Set((await rows<Row>(s, 'SELECT prompt_id, version, content_hash FROM superseded_versions')).map((r) => `${refOf(r)}#${r.content_hash}`));
  const released = new Set((await rows<Row>(s, `SELECT DISTINCT prompt_id, version FROM events WHERE env <> ''`)).map(refOf));
  return { hashes, superseded, released };
}

/** One draft left local, in words a person and a script both read. */
export function leftLocalVersion(v: Row, target: TargetVersions, where: string): LeftLocalVersion {
  const ref = refOf(v);
  const teamHash = target.hashes.get(ref)!;
  const teamState = target.released.has(ref) ? 'released' : 'draft';
  const localHash = String(v.content_hash);
  return {
    prompt: String(v.prompt_id),
    version: String(v.version),
    localHash,
    teamHash,
    teamState,
    why: `${where} holds ${ref} ${teamState === 'released' ? 'released' : 'as a draft'} with other content (sha256:${teamHash.slice(0, 12)}… there, sha256:${localHash.slice(0, 12)}… here), and this registry never released it; a registered version never changes`,
  };
}

/** Runs recorded on a left draft's content (not the team's) stay with it. */
export function runLeftLocal(run: Row, left: ReadonlyMap<string, LeftLocalVersion>): LeftLocalRun | undefined {
  const draft = left.get(refOf(run));
  if (!draft || run.prompt_hash === draft.teamHash) return undefined;
  return { id: String(run.id), prompt: String(run.prompt_id), version: String(run.version), suite: String(run.suite) };
}

/** An event to push that names a draft left local would say it of the team's other content: refused before anything is written. */
export function requireNoEventOnLeftDraft(toPush: Row[], left: ReadonlyMap<string, LeftLocalVersion>, where: string): void {
  const named = toPush.find((e) => left.has(refOf(e)));
  if (!named) return;
  const ref = refOf(named);
  throw new GateError({
    message: `event #${named.seq} (${named.action} ${ref}) names a local draft that ${where} holds with other content; nothing was written`,
    why: `pushed, the event would be recorded about the team's ${ref}, whose content it never saw`,
    hint: 'run `promptctl registry push --skip-events`: everything else is copied (that draft and its runs stay local, listed), and this log stays in the local registry',
  });
}
