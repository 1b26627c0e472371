import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { runsInCi } from '../core/ci-env.js';
import { InputError } from '../core/errors.js';
import { DEFAULT_REGISTRY_PATH } from '../core/schemas/config.js';
import type { Position } from '../core/yaml-source.js';
import type { Project } from './project.js';
import { CONFIG_FILE } from './project-config.js';
import { notRegistryKind } from './registry-kind.js';
import { registryTarget, type RegistryTarget } from './registry/target.js';

export { notRegistryKind } from './registry-kind.js';

/**
 * `registry.path` in .promptrc.yaml, checked before SQLite sees it. A path that cannot be a
 * registry by its kind — a folder, a device or other special file (/dev/null), a YAML file (the
 * config, a prompt version, a suite) — is a config error (exit 2) naming the path and the field,
 * and nothing is opened or written there. A regular file that claims to be a registry but is not
 * one is the registry's fault (exit 3, sqlite-faults.ts).
 */

export type RegistryProject = Pick<Project, 'root' | 'config'> & Partial<Pick<Project, 'configLocate'>>;

/** The project's registry, as its config and `env` name it (a relative `registry.path` from the project's root). */
export function projectRegistryTarget(project: RegistryProject, env: Record<string, string | undefined>): RegistryTarget {
  return registryTarget(project.config.registry, env, (p) => path.resolve(project.root, p));
}

const FIELD = 'registry.path';

/**
 * Where .promptrc.yaml sets registry.path, or undefined when it does not (the default applies, or
 * the config was not located): a missing key is located at its parent (core/yaml-source.ts).
 */
function pathSetAt(project: RegistryProject): Position | undefined {
  const at = project.configLocate?.(['registry', 'path']);
  const parent = project.configLocate?.(['registry']);
  return at && parent && (at.line !== parent.line || at.col !== parent.col) ? at : undefined;
}

/** registry.path as the messages name it: the field, or the default when the config sets none. */
function pathName(project: RegistryProject): string {
  const value = project.config.registry.path;
  return pathSetAt(project) ? `${FIELD} (${value})` : `the default registry path (${value}; ${CONFIG_FILE} sets no ${FIELD})`;
}

/** A problem at registry.path where the config sets it; `located` keeps one at the top of the file otherwise (lint reports problems only). */
function configError(project: RegistryProject, message: string, why: string, hint: string, located = true): InputError {
  const at = pathSetAt(project) ?? (located ? { line: 1, col: 1 } : undefined);
  return new InputError({
    message,
    problems: at ? [{ file: CONFIG_FILE, line: at.line, col: at.col, field: FIELD, message, severity: 'error' }] : [],
    why,
    hint,
  });
}

const LINK_FIX = {
  loop: `point the link at the registry file (ln -sfn <registry file> <link>), or set ${FIELD} in ${CONFIG_FILE} to the file itself`,
  dangling: `mount the volume that holds the link's target, or point the link (or ${FIELD} in ${CONFIG_FILE}) at the registry; to start a new registry there, remove the link first`,
} as const;

/** The absolute path of the project's registry file, refused (exit 2) when it cannot be one. */
export function checkRegistryPath(project: RegistryProject): string {
  const file = path.resolve(project.root, project.config.registry.path);
  // Only for a refusal: locating the field parses the config again with the full YAML parser (tens of ms).
  const named = () => `${pathName(project)} names ${file}`;
  const fixWith = (example: string) => `set ${FIELD} in ${CONFIG_FILE} to a file for the registry, e.g. ${example}`;
  const fix = fixWith('.promptctl/registry.db');
  const wrong = notRegistryKind(file);
  // A folder: the example is a file in it.
  const kindFix = wrong?.kind === 'loop' || wrong?.kind === 'dangling' ? LINK_FIX[wrong.kind] : wrong?.kind === 'folder' ? fixWith(path.posix.join(project.config.registry.path, 'registry.db')) : fix;
  if (wrong) throw configError(project, `${named()}, ${wrong.what}`, wrong.why, kindFix);
  if (existsSync(file)) return file;
  // A file where a folder on the way should be: SQLite could never create the registry there.
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (!existsSync(dir)) continue;
    if (!statSync(dir).isDirectory()) throw configError(project, `${named()}, but ${dir} is a file, not a folder`, 'a folder on the way to the registry is a file.', fix);
    break;
  }
  return file;
}

/**
 * A SQLite registry with no file at its path (a fresh checkout, an evicted CI cache): a reader sees
 * an empty one, which reads as "never deployed" everywhere. Never true of a team registry.
 */
export function registryFileAbsent(project: RegistryProject, env: Record<string, string | undefined>): boolean {
  return projectRegistryTarget(project, env).backend === 'sqlite' && !existsSync(checkRegistryPath(project));
}

/**
 * A project that has recorded nothing yet (`init`, then `status`): its registry is at the default
 * path (registry.path unset, or as init writes it), no file is there, and its folder holds nothing
 * but the validated-files cache read-only commands write (`CACHE_ENTRIES`). A reader shows it empty (drafts, nothing
 * deployed) and creates nothing. Not so in a CI job (an evicted cache leaves the same nothing), for a
 * path the config sets elsewhere (a misspelt registry.path), or beside other files in the folder
 * (what a registry left: its -wal, a backup): those are `noRegistryError`.
 */
/** What read-only commands write beside the registry: the validated-files cache and the .gitignore that keeps it out of git. */
const CACHE_ENTRIES = new Set(['cache', '.gitignore']);

export function neverRecorded(project: RegistryProject, file: string, env: Record<string, string | undefined>): boolean {
  if (file !== path.resolve(project.root, DEFAULT_REGISTRY_PATH) || runsInCi(env)) return false;
  const dir = path.dirname(file);
  return !existsSync(dir) || readdirSync(dir).every((name) => CACHE_ENTRIES.has(name));
}

/**
 * For commands that show what the registry holds (status, history, get, export): no file at the
 * path is exit 2 naming it, not an empty registry that reads as "never deployed" everywhere (a
 * misspelt registry.path, or a checkout that has not restored its registry). A project that has
 * recorded nothing yet (`neverRecorded`) is shown empty instead, except by `export`, whose bundle a
 * deploy publishes (project-registry.ts `mustExist: 'always'`).
 */
export function noRegistryError(project: RegistryProject, file: string): InputError {
  const restore = 'in a fresh checkout, restore the registry (e.g. from the CI cache) or record something first (`promptctl eval` or `promptctl deploy` creates it)';
  if (!pathSetAt(project)) {
    return configError(
      project,
      `no registry at ${file}`,
      `${CONFIG_FILE} sets no ${FIELD}, so the registry is the default ${project.config.registry.path}, and no file is there: nothing has been recorded at this path, so there is nothing to show (not "never deployed").`,
      `${restore}; to use a registry elsewhere, set ${FIELD} in ${CONFIG_FILE} (or PROMPTCTL_REGISTRY_URL for a team registry on PostgreSQL)`,
      false,
    );
  }
  return configError(
    project,
    `no registry at ${file}`,
    `${FIELD} in ${CONFIG_FILE} is ${project.config.registry.path}, and no file is there: nothing has been recorded at this path, so there is nothing to show (not "never deployed").`,
    `if the path is misspelt, fix ${FIELD}; ${restore}`,
  );
}
