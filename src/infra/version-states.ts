import { InputError } from '../core/errors.js';
import { editedAfterReleaseHint, editedAfterReleaseMessage, editedAt, EDITED_AFTER_RELEASE_WHY, releasedHashOf, versionState, type EditOrigin, type VersionState, type VersionVerdict } from '../core/version-state.js';
import { projectEditOrigins } from './edit-origins.js';
import { comparableForm } from './registered-form.js';
import type { Project, PromptFile } from './project.js';
import { fromCwdOf } from './real-path.js';
import { openProjectRegistry, versionRecordOf } from './project-registry.js';
import type { RegistryAccess } from './registry-access.js';
import { requireIntactContent } from './registry/content-check.js';
import type { AuditEvent, EventSigner, Registry, VersionRecord, VersionReleases } from './registry/types.js';

/**
 * The facts core/version-state.ts decides on, read from the registry: the environment events that
 * name a version (its release) and what is registered for it. Every command that uses version
 * files asks here, so eval, deploy, ci, lint, list and status agree on draft, released and edited.
 */

export interface CheckedVersion {
  file: PromptFile;
  verdict: VersionVerdict;
  /** What the registry holds for the version now (a draft's last registered content), if anything. */
  record?: VersionRecord;
  /** The environment event that released the version with the hash it was released with (releasedHashOf's event): its seq and hash. */
  releasedBy?: Pick<AuditEvent, 'seq' | 'contentHash'>;
  /** A released version's file that differs: an edit here or the checkout's content (withEditOrigins); undefined outside git. */
  origin?: EditOrigin;
}

/** Who records what settling a draft writes to the chain (a `supersede` event). */
export interface Recorder {
  actor: string;
  sign?: EventSigner;
}

export async function checkVersion(registry: Registry, file: PromptFile, releasesOf?: Map<string, Promise<VersionReleases[]>>): Promise<CheckedVersion> {
  const record = await registry.getVersion(file.id, file.version);
  // Only an event that changed an environment releases a version; tested marks and supersedes do
  // not. One read of the prompt's releases, shared by its versions (see checkVersions).
  const releases = releasesOf?.get(file.id) ?? registry.versionReleases(file.id);
  releasesOf?.set(file.id, releases);
  const released = (await releases).find((r) => r.version === file.version);
  const releasedBy = released?.hashedBy;
  const verdict = versionState({ fileHash: file.hash, releasedIn: released?.envs ?? [], releasedHash: releasedHashOf(releasedBy ? [releasedBy] : [], record?.contentHash) });
  return { file, verdict, ...(record ? { record } : {}), ...(releasedBy ? { releasedBy } : {}) };
}

export async function checkVersions(registry: Registry, files: readonly PromptFile[]): Promise<CheckedVersion[]> {
  const checked: CheckedVersion[] = [];
  // One read of a prompt's releases for all its versions (lint and list read every version).
  const releasesOf = new Map<string, Promise<VersionReleases[]>>();
  for (const f of files) checked.push(await checkVersion(registry, f, releasesOf));
  return checked;
}

/**
 * Where a released version's file first differs from the content it was released with: the field
 * and its line and column. Every command that reports the edit (lint, eval, deploy, ci) points there.
 */
export function releasedEditAt({ file, record }: CheckedVersion): { file: string; line: number; col: number; field: string } {
  // The released content is what the registry holds: a released version is never superseded.
  return { file: file.file, ...editedAt(record?.content, record ? comparableForm(file, record) : file.canonical, file.locate) };
}

/**
 * `origins`: by file, whether each edit is in this working tree or the checkout's commit
 * (edit-origins.ts). `here`: a file as the hint's git commands name it from where the command ran.
 */
export function releasedEditError(refused: readonly CheckedVersion[], origins: ReadonlyMap<string, EditOrigin> = new Map(), here: (file: string) => string = (file) => file): InputError {
  const first = refused[0]!;
  const origin = (c: CheckedVersion) => origins.get(c.file.file);
  const releasedIn = (c: CheckedVersion) => (c.verdict.state === 'released' ? c.verdict.releasedIn : []);
  return new InputError({
    message: refused.length === 1 ? editedAfterReleaseMessage({ id: first.file.id, version: first.file.version, releasedIn: releasedIn(first), origin: origin(first) }) : `${refused.length} versions were edited after they were released`,
    problems: refused.map((c) => ({
      ...releasedEditAt(c),
      message: `${editedAfterReleaseMessage({ id: c.file.id, version: c.file.version, releasedIn: releasedIn(c), origin: origin(c) })}: content hash is now sha256:${c.file.hash.slice(0, 12)}…, released as sha256:${(c.verdict.state === 'released' ? c.verdict.releasedHash : '').slice(0, 12)}…`,
      severity: 'error' as const,
    })),
    why: EDITED_AFTER_RELEASE_WHY,
    hint: editedAfterReleaseHint({ id: first.file.id, version: first.file.version, file: first.file.file, here: here(first.file.file), origin: origin(first) }),
  });
}

/**
 * `checked` with each refused version's `origin` (edit-origins.ts): the one place a command asks git
 * whether an edit is in this working tree or the checkout's content, so every command gives the same
 * hint. `project` undefined (ci's versions of other revisions): no origin, the hint's general words.
 */
export async function withEditOrigins(registry: Registry, checked: CheckedVersion[], project: Project | undefined): Promise<CheckedVersion[]> {
  const refused = checked.filter((c) => !c.verdict.allowed);
  if (!project || !refused.length) return checked;
  const origins = await projectEditOrigins(project, registry, refused.map((c) => c.file));
  return checked.map((c) => (origins.has(c.file.file) ? { ...c, origin: origins.get(c.file.file)! } : c));
}

/**
 * Read-only: refuses a released version whose file was edited; a draft may hold anything. The
 * `project` (required, so no caller leaves it out by accident) lets the refusal tell an edit in this
 * working tree from the checkout's own content; undefined only where the files are not this checkout's.
 */
export async function requireEditableVersions(registry: Registry, files: readonly PromptFile[], project: Project | undefined): Promise<CheckedVersion[]> {
  const checked = await checkVersions(registry, files);
  if (checked.every((c) => c.verdict.allowed)) return checked;
  const refused = (await withEditOrigins(registry, checked, project)).filter((c) => !c.verdict.allowed);
  throw releasedEditError(refused, new Map(refused.flatMap((c) => (c.origin ? [[c.file.file, c.origin] as const] : []))), project ? fromCwdOf(project) : undefined);
}

/**
 * Before a command records results of versions (eval, deploy): registers each file's content, in
 * one transaction. A draft whose registered content is another one takes the file's content; the
 * earlier content stays in `superseded_versions`, with its runs and marks, which stay bound to its
 * hash. A released version whose file was edited is refused.
 */
export async function settleVersions(registry: Registry, files: readonly PromptFile[], who: Recorder, project: Project | undefined): Promise<Map<string, VersionRecord>> {
  return registry.transaction(async (tx) => {
    const checked = await requireEditableVersions(tx, files, project);
    const records = new Map<string, VersionRecord>();
    for (const c of checked) records.set(`${c.file.id}@${c.file.version}`, await settleOne(tx, c, who));
    return records;
  });
}

async function settleOne(tx: Registry, c: CheckedVersion, who: Recorder): Promise<VersionRecord> {
  const wanted = versionRecordOf(c.file);
  if (!c.record) {
    const outcome = await tx.registerVersion(wanted);
    // 'changed': another process registered another draft meanwhile; this file's content takes over below.
    if (outcome.status !== 'changed') return outcome.record;
  } else {
    requireReleasedRow(c);
    if (c.record.contentHash === c.file.hash) return c.record;
  }
  const swapped = await tx.supersedeVersion(wanted, who.actor, who.sign);
  if (swapped) return swapped.record;
  // Another process (a shard of the same ci run) swapped in this same content first: done.
  const now = await tx.getVersion(c.file.id, c.file.version);
  if (now?.contentHash === c.file.hash) return now;
  // Otherwise an environment event names it by now: released by another process meanwhile.
  const released = await checkVersion(tx, c.file);
  requireReleasedRow(released);
  throw releasedEditError([released]);
}

/**
 * A released version's registry row holds what its release recorded (content-check.ts): the file
 * matching the release while the row does not is a row swapped in the database, exit 3 naming it,
 * never an edit of the user's file.
 */
function requireReleasedRow(c: CheckedVersion): void {
  if (c.record && c.verdict.state === 'released') requireIntactContent(c.record, c.releasedBy, { doing: `${c.file.id}@${c.file.version} cannot be used` });
}

/**
 * For commands that only read version files (show, render, diff): their states from a registry
 * opened read-only, so nothing is registered and no registry file is created.
 */
export async function readVersionStates(project: Project, files: readonly PromptFile[], { env, clock }: RegistryAccess, opts: { refuseEdited?: boolean } = {}): Promise<CheckedVersion[]> {
  const registry = openProjectRegistry(project, { readonly: true, env, clock });
  try {
    return opts.refuseEdited ? await requireEditableVersions(registry, files, project) : await withEditOrigins(registry, await checkVersions(registry, files), project);
  } finally {
    await registry.close();
  }
}

/**
 * Each registered version of these prompts, draft or released, for readers that show the registry
 * (status). Read prompt by prompt: a team registry may hold thousands of other prompts' versions
 * and events, which the project's own prompts need not wait for.
 */
export async function registeredStates(registry: Registry, promptIds: readonly string[]): Promise<Array<{ promptId: string; version: string; state: VersionState }>> {
  const out: Array<{ promptId: string; version: string; state: VersionState }> = [];
  for (const promptId of promptIds) {
    const releasedIn = new Map<string, Set<string>>();
    for (const r of await registry.releases(promptId)) {
      if (!releasedIn.has(r.version)) releasedIn.set(r.version, new Set());
      releasedIn.get(r.version)!.add(r.env);
    }
    for (const v of await registry.listVersions(promptId)) {
      const envs = [...(releasedIn.get(v.version) ?? [])];
      out.push({ promptId, version: v.version, state: versionState({ fileHash: v.contentHash, releasedIn: envs, releasedHash: v.contentHash }).state });
    }
  }
  return out;
}
