import semver from 'semver';
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { sortVersionsDesc, versionFileNames, type PromptRef } from '../core/refs.js';
import { restoreDeletedFile, type Deletion } from '../core/version-state.js';
import { parseRegisteredContent } from '../core/registered-content.js';
import { PromptVersion } from '../core/schemas/prompt.js';
import type { Project, PromptFile } from './project.js';
import { listPromptFolders } from './project-config.js';
import { fromCwdField } from './real-path.js';
import { activeDeployments } from './deployments.js';
import { goneVersionFile } from './deployed-files.js';
import { readRegistryIfPresent } from './registered-edits.js';
import type { Env } from './registry/target.js';
import type { Registry } from './registry/types.js';
import { noLocate } from './yaml-file.js';

/** Finds one prompt version in a loaded project, naming the file's own problems when it has any. */
export function resolveVersion(project: Project, ref: PromptRef): PromptFile {
  const versions = project.prompts.filter((p) => p.id === ref.id);
  const broken = project.problems.filter((p) => p.file.startsWith(`prompts/${ref.id}/`));
  if (ref.version) {
    const names = versionFileNames(ref.id, ref.version);
    const [file] = names;
    requireValid(project, names);
    const found = versions.find((v) => v.version === ref.version);
    if (found) return found;
    const known = sortVersionsDesc(versions.map((v) => v.version));
    throw new InputError({
      message: `prompt version ${ref.id}@${ref.version} does not exist`,
      why: `there is no ${file} in ${project.root}.`,
      hint: versions.length
        ? `${didYouMean(ref.version, known)}known versions: ${known.join(', ')}.`
        : `${didYouMean(ref.id, knownPromptIds(project))}\`promptctl list\` shows the prompts; \`promptctl new ${ref.id}\` creates one.`,
    });
  }
  if (!versions.length) {
    if (broken.length) requireValid(project, broken.map((p) => p.file));
    throw new InputError({
      message: `prompt "${ref.id}" does not exist`,
      hint: `${didYouMean(ref.id, knownPromptIds(project))}\`promptctl list\` shows the prompts; \`promptctl new ${ref.id}\` creates it.`,
    });
  }
  const highest = sortVersionsDesc(versions.map((v) => v.version))[0]!;
  // A broken file with a higher version would be the real latest: refuse rather than silently
  // answering with an older version.
  const brokenHigher = broken.filter((p) => {
    const v = p.file.slice(p.file.lastIndexOf('/') + 1).replace(/\.ya?ml$/, '');
    return semver.valid(v) !== null && semver.gt(v, highest);
  });
  if (brokenHigher.length) requireValid(project, brokenHigher.map((p) => p.file));
  return versions.find((v) => v.version === highest)!;
}

/** Reads the registry for a lookup; undefined where there is none to read (the lookup found nothing). */
export type RegistryLookup = <T>(read: (registry: Registry) => Promise<T>) => Promise<T | undefined>;

/** A lookup in a registry the command opens anyway (deploy, promote): its faults are the command's. */
export function lookupIn(open: () => Registry): RegistryLookup {
  return async (read) => {
    const registry = open();
    try {
      return await read(registry);
    } finally {
      await registry.close();
    }
  };
}

/**
 * A lookup in the project's registry when there is one, read-only, for commands that also work
 * without one: no registry, or one that cannot be read, has registered nothing the lookup can tell.
 */
export function lookupIfPresent(project: Project, env: Env): RegistryLookup {
  return async (read) => {
    const got = await readRegistryIfPresent(project, env, read);
    return 'value' in got ? got.value : undefined;
  };
}

/** A registered version with no file here: the file it had, how git knows it deleted, where it is active. */
export interface FileGone {
  file: string;
  /** Never deployed anywhere: the registry holds its registered content, not a released one. */
  draft?: true;
  /** `file` from the folder the command ran in, when that is not the project root: what its restore command names. */
  fromCwd?: string;
  how?: Deletion;
  activeIn: string[];
}

/** A version file, or (`fileGone`) what the registry holds of a version whose file was deleted. */
export type ResolvedVersion = PromptFile & { fileGone?: FileGone };

/**
 * The one rule for a version a user names: its file; and a registered version whose file is gone is
 * said as such, with where it is active and how to restore the file (as lint's
 * `version/deleted-deployed` says), never as "does not exist" with another version suggested.
 * `registeredContent`: a command that only looks at the version or its stored runs (show, diff,
 * compare, report) gets the registered content instead, marked `fileGone`; a command that sends,
 * records or writes from the file (eval, deploy, promote, new, render, redteam) is refused.
 * The registry is read only when the file is missing.
 */
export async function resolveRegisteredVersion(
  project: Project,
  ref: PromptRef,
  lookup: RegistryLookup,
  opts: { registeredContent?: boolean; why?: string; unreadableFile?: boolean } = {},
): Promise<ResolvedVersion> {
  const names: readonly string[] = ref.version ? versionFileNames(ref.id, ref.version) : [];
  // `unreadableFile`: a file that does not load is taken as no file (show --released, whose output
  // a shell redirect onto the file empties before the project is read).
  const unreadable = !opts.unreadableFile && project.problems.some((p) => names.includes(p.file));
  const fileless = ref.version !== undefined && !project.prompts.some((p) => p.id === ref.id && p.version === ref.version) && !unreadable;
  if (!fileless) return resolveVersion(project, ref);
  const found = await lookup(async (registry) => {
    const record = await registry.getVersion(ref.id, ref.version!);
    if (!record) return undefined;
    const all = project.config.environments.map((e) => e.name);
    const latest = await activeDeployments(registry, all.map((env) => ({ promptId: ref.id, env })));
    // Only an environment event releases a version (version-states.ts): none, and it is a draft.
    const draft = !(await registry.releases(ref.id)).some((r) => r.version === ref.version);
    return { record, envs: all.filter((_, i) => latest[i]?.version === ref.version), draft };
  });
  if (!found) return resolveVersion(project, ref);
  const { record, envs, draft } = found;
  // A version deployed from a file no commit ever had (an uncommitted draft, a project without git) is `untracked`.
  const { file, how } = goneVersionFile(project.root, ref.id, ref.version!);
  const gone: FileGone = { file, ...(draft ? { draft: true as const } : {}), ...fromCwdField(project, file), ...(how ? { how } : {}), activeIn: envs };
  const data = opts.registeredContent ? PromptVersion.safeParse(parseRegisteredContent(record)) : undefined;
  if (data?.success) {
    return { id: ref.id, version: ref.version!, file: gone.file, data: data.data, hash: record.contentHash, canonical: record.content, locate: noLocate, fileGone: gone };
  }
  const where = envs.length ? `is active in ${envs.join(', ')} but its file was deleted` : 'is registered but its file was deleted';
  throw new InputError({
    message: `${ref.id}@${ref.version} ${where} (${gone.file})`,
    why: opts.why ?? 'this command reads the version from its file, and every deployed version must be rebuildable from git.',
    hint:
      `restore the file ${how === 'untracked' ? '' : 'from git '}(${restoreDeletedFile(gone, gone.how, `${ref.id}@${ref.version}`)}), then run this again` +
      (envs.length ? `; meanwhile \`promptctl get ${ref.id} --env ${envs[0]}\` serves its registered content.` : '.'),
  });
}

/**
 * The prompt ids the project's files hold, in name order (what a typed id is compared with). A
 * project loaded for some prompts only knows the others by their folders, which are not read.
 */
export function knownPromptIds(project: Project): string[] {
  return [...new Set(project.only ? listPromptFolders(project.root) : project.prompts.map((p) => p.id))].sort();
}

export function versionsOf(project: Project, id: string): PromptFile[] {
  const byVersion = new Map(project.prompts.filter((p) => p.id === id).map((p) => [p.version, p]));
  return sortVersionsDesc([...byVersion.keys()]).map((v) => byVersion.get(v)!);
}

/** Throws the problems of the given files (all problems when no files are named). */
export function requireValid(project: Project, files?: string[]): void {
  const problems = files ? project.problems.filter((p) => files.includes(p.file)) : project.problems;
  const errors = problems.filter((p) => p.severity === 'error');
  if (!errors.length) return;
  throw new InputError({
    message: `${errors.length} problem${errors.length === 1 ? '' : 's'} in the project's files`,
    problems: errors,
    hint: 'fix the fields named above; `promptctl lint` lists every problem at once.',
  });
}
