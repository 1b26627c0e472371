import { existsSync } from 'node:fs';
import { adoptRegisteredForms } from './registered-form.js';
import { InputError, isPromptctlError, type Problem } from '../core/errors.js';
import { editedAfterReleaseHint, editedAfterReleaseMessage, type EditOrigin } from '../core/version-state.js';
import { CONFIG_FILE } from './project-config.js';
import type { Project, PromptFile } from './project.js';
import { fromCwdOf } from './real-path.js';
import { checkRegistryPath, projectRegistryTarget } from './registry-path.js';
import { deferredRegistry } from './registry/deferred.js';
import { openSqliteRegistry } from './registry/sqlite.js';
import type { Env } from './registry/target.js';
import type { Registry } from './registry/types.js';
import { checkVersions, releasedEditAt, type CheckedVersion } from './version-states.js';
import { deployedWithoutFile } from './deployed-files.js';
import { projectEditOrigins } from './edit-origins.js';

/**
 * Released version files that no longer have the content they were released with, found
 * read-only: `lint` and `list` report them without registering anything, and without creating a
 * registry where there is none (a fresh checkout has nothing released, so nothing can be edited).
 */

export async function registeredEditProblems(project: Project, env: Env, versions: PromptFile[] = project.prompts): Promise<Problem[]> {
  return (await registeredVersionStates(project, env, versions, { deployedFiles: true })).problems;
}

/**
 * Each version's state (draft or released, core/version-state.ts) and the problems: released
 * versions whose file was edited, or why the registry could not be read. Versions the registry
 * could not tell about are left out of `states` (a fresh checkout: every version is a draft);
 * `unread` says the registry was there but could not be read, so no state is known.
 */
export async function registeredVersionStates(
  project: Project,
  env: Env,
  versions: PromptFile[] = project.prompts,
  /** Also versions an environment runs whose file is gone (deployed-files.ts), as lint reports them. */
  opts: { deployedFiles?: boolean } = {},
): Promise<{ states: CheckedVersion[]; problems: Problem[]; unread?: true }> {
  if (!versions.length && !opts.deployedFiles) {
    // Still checks registry.path, a config error lint reports.
    const read = await readRegistryIfPresent(project, env, async () => undefined, { open: false });
    return { states: [], problems: 'invalidPath' in read ? read.invalidPath : [] };
  }
  const read = await readRegistryIfPresent(project, env, async (registry) => {
    await adoptRegisteredForms(registry, [...new Set([...project.prompts, ...versions])]);
    const states = versions.length ? await checkVersions(registry, versions) : [];
    const deleted = opts.deployedFiles ? await deployedWithoutFile(registry, project) : [];
    const edited = states.filter((c) => !c.verdict.allowed);
    const origins = await projectEditOrigins(project, registry, edited.map((c) => c.file));
    return { states, problems: [...edited.map((c) => editProblem(c, origins.get(c.file.file), fromCwdOf(project))), ...deleted] };
  });
  if ('value' in read) return read.value;
  if ('invalidPath' in read) return { states: [], problems: read.invalidPath };
  if ('absent' in read) return { states: [], problems: [] };
  const where = read.backend === 'sqlite' ? project.config.registry.path : CONFIG_FILE;
  const why = read.unread instanceof Error ? read.unread.message : String(read.unread);
  return { states: [], problems: [{ file: where, line: 1, col: 1, field: '', message: `could not read the registry (${why}): edits to released versions were not checked`, severity: 'warning', rule: 'version/edited' }], unread: true };
}

/**
 * Reads the project's registry read-only when there is one, for commands that also work without it
 * (lint, list, new): never creates a SQLite file; a registry that cannot be opened or read (a damaged
 * file, an unreachable PostgreSQL) is `unread`, for the caller to say so; an invalid registry.path
 * is its problems.
 */
export async function readRegistryIfPresent<T>(
  project: Project,
  env: Env,
  read: (registry: Registry) => Promise<T>,
  opts: { open?: boolean } = {},
): Promise<{ value: T } | { absent: true } | { invalidPath: Problem[] } | { unread: unknown; backend: 'sqlite' | 'postgres' }> {
  const target = projectRegistryTarget(project, env);
  if (target.backend === 'sqlite') {
    try {
      checkRegistryPath(project);
    } catch (error) {
      // registry.path names what cannot be a registry (a folder, a device, a YAML file): a config error lint reports.
      if (error instanceof InputError) return { invalidPath: error.problems.map((p) => ({ ...p, rule: 'config/registry-path' })) };
      throw error;
    }
    if (!existsSync(target.path)) return { absent: true };
  }
  if (opts.open === false) return { absent: true };
  let registry: Registry;
  try {
    registry = target.backend === 'sqlite' ? openSqliteRegistry({ path: target.path, readonly: true }) : deferredRegistry(target.pg.display, async () => (await import('./registry/postgres/registry.js')).openPostgresRegistry({ target: target.pg, readonly: true }));
  } catch (error) {
    return { unread: error, backend: target.backend };
  }
  try {
    return { value: await read(registry) };
  } catch (error) {
    // A damaged SQLite file or an unreachable PostgreSQL: the caller goes on without it; the
    // registry's own commands say exit 3.
    if (isPromptctlError(error) && error.exitCode === 3) return { unread: error, backend: target.backend };
    throw error;
  } finally {
    await registry.close();
  }
}

function editProblem(checked: CheckedVersion, origin: EditOrigin | undefined, here: (file: string) => string): Problem {
  const { file: v, verdict } = checked;
  const released = verdict.state === 'released' ? verdict : undefined;
  return {
    ...releasedEditAt(checked),
    message: `${editedAfterReleaseMessage({ id: v.id, version: v.version, releasedIn: released?.releasedIn ?? [], origin })} (released sha256:${(released?.releasedHash ?? '').slice(0, 12)}…, now sha256:${v.hash.slice(0, 12)}…): ${editedAfterReleaseHint({ id: v.id, version: v.version, file: v.file, here: here(v.file), origin })}`,
    severity: 'error',
    rule: 'version/edited',
  };
}
