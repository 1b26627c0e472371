import { existsSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import type { Clock } from './clock.js';
import type { Project, PromptFile } from './project.js';
import { checkRegistryPath, noRegistryError, type RegistryProject } from './registry-path.js';
import { openPostgresRegistry } from './registry/postgres/registry.js';
import { openSqliteRegistry } from './registry/sqlite.js';
import { registryTarget, type Env } from './registry/target.js';
import type { Registry, VersionRecord } from './registry/types.js';

export interface OpenRegistryOptions {
  /** The environment: PROMPTCTL_REGISTRY_URL chooses PostgreSQL, and the password comes from here. */
  env: Env;
  readonly?: boolean;
  /** A reader that shows what is recorded refuses a missing SQLite file (exit 2) rather than showing an empty registry. */
  mustExist?: boolean;
  clock?: Pick<Clock, 'date'>;
}

/**
 * The registry of a project: PostgreSQL when PROMPTCTL_REGISTRY_URL or registry.url says so
 * (connected on first use), else the SQLite file at registry.path (relative to the project root).
 */
export function openProjectRegistry(project: RegistryProject, opts: OpenRegistryOptions): Registry {
  const target = registryTarget(project.config.registry, opts.env, (p) => path.resolve(project.root, p));
  if (target.backend === 'postgres') return openPostgresRegistry({ target: target.pg, readonly: opts.readonly, clock: opts.clock });
  const file = checkRegistryPath(project);
  if (opts.mustExist && !existsSync(file)) throw noRegistryError(project, file);
  // A reader of a project that has no registry yet sees an empty one, and creates no file.
  if (opts.readonly && !existsSync(file)) return openSqliteRegistry({ path: ':memory:', clock: opts.clock });
  return openSqliteRegistry({ path: file, readonly: opts.readonly, clock: opts.clock });
}

export interface EditedVersion {
  file: string;
  id: string;
  version: string;
  registeredHash: string;
  currentHash: string;
}

/** What the registry keeps of a version file: its canonical content and the hash of it. */
export function versionRecordOf(v: PromptFile): Omit<VersionRecord, 'createdAt'> {
  return { promptId: v.id, version: v.version, contentHash: v.hash, content: v.canonical, description: v.data.description, author: v.data.author };
}

/**
 * Registers versions (idempotent) and returns those whose file no longer matches what was
 * registered. Every command that uses a version calls this, so an edit is noticed wherever it is used.
 */
export async function registerVersions(registry: Registry, versions: PromptFile[]): Promise<{ edited: EditedVersion[]; records: Map<string, VersionRecord> }> {
  const edited: EditedVersion[] = [];
  const records = new Map<string, VersionRecord>();
  await registry.transaction(async (tx) => {
    for (const v of versions) {
      const outcome = await tx.registerVersion(versionRecordOf(v));
      records.set(`${v.id}@${v.version}`, outcome.record);
      if (outcome.status === 'changed') {
        edited.push({ file: v.file, id: v.id, version: v.version, registeredHash: outcome.record.contentHash, currentHash: v.hash });
      }
    }
  });
  return { edited, records };
}

export function editedVersionError(edited: EditedVersion[]): InputError {
  const first = edited[0]!;
  return new InputError({
    message: `${edited.length === 1 ? `${first.id}@${first.version} was` : `${edited.length} versions were`} edited after being registered`,
    problems: edited.map((e) => ({
      file: e.file,
      line: 1,
      col: 1,
      field: '',
      message: `content hash is now sha256:${e.currentHash.slice(0, 12)}…, registered as sha256:${e.registeredHash.slice(0, 12)}…`,
      severity: 'error' as const,
    })),
    why: 'A registered version is immutable: its tests, deploys and audit trail refer to the content it had.',
    // `git checkout` only helps a file the repository has: a new file's registered content is in the registry.
    hint: `put the change in a new version (promptctl new ${first.id}) and restore the registered content of ${first.file} (git checkout -- <file> when git has that content; a new file git does not have is only in the registry)`,
  });
}

/** Read-only commands (compare, report): refuse a registered version whose file was edited, without registering. */
export async function refuseEdited(registry: Registry, versions: PromptFile[]): Promise<void> {
  const edited = (await findEdited(registry, versions)).map(({ version: v, record }) => ({ file: v.file, id: v.id, version: v.version, registeredHash: record.contentHash, currentHash: v.hash }));
  if (edited.length) throw editedVersionError(edited);
}

/** Registered versions whose file no longer has the registered content, read-only (nothing is registered). */
export async function findEdited(registry: Registry, versions: PromptFile[]): Promise<Array<{ version: PromptFile; record: VersionRecord }>> {
  const edited: Array<{ version: PromptFile; record: VersionRecord }> = [];
  for (const version of versions) {
    const record = await registry.getVersion(version.id, version.version);
    if (record && record.contentHash !== version.hash) edited.push({ version, record });
  }
  return edited;
}

/** Registers and refuses edited versions. */
export async function requireUnedited(registry: Registry, versions: PromptFile[]): Promise<Map<string, VersionRecord>> {
  const { edited, records } = await registerVersions(registry, versions);
  if (edited.length) throw editedVersionError(edited);
  return records;
}

/** For commands that use versions without otherwise needing the registry: open, register, refuse edits, close. */
export async function useVersions(project: Project, versions: PromptFile[], env: Env): Promise<void> {
  const registry = openProjectRegistry(project, { env });
  try {
    await requireUnedited(registry, versions);
  } finally {
    await registry.close();
  }
}

/** For `show`: register, and report (rather than refuse) an edit. */
export async function registrationStatus(project: Project, v: PromptFile, env: Env): Promise<{ registeredHash: string; edited: boolean }> {
  const registry = openProjectRegistry(project, { env });
  try {
    const { edited, records } = await registerVersions(registry, [v]);
    return { registeredHash: records.get(`${v.id}@${v.version}`)!.contentHash, edited: edited.length > 0 };
  } finally {
    await registry.close();
  }
}
