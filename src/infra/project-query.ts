import semver from 'semver';
import { InputError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { sortVersionsDesc, versionFileNames, type PromptRef } from '../core/refs.js';
import { restoreDeletedFile } from '../core/version-state.js';
import type { Project, PromptFile } from './project.js';
import { activeDeployments } from './deployments.js';
import type { Registry } from './registry/types.js';

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
        : `${didYouMean(ref.id, promptIds(project))}\`promptctl list\` shows the prompts; \`promptctl new ${ref.id}\` creates one.`,
    });
  }
  if (!versions.length) {
    if (broken.length) requireValid(project, broken.map((p) => p.file));
    throw new InputError({
      message: `prompt "${ref.id}" does not exist`,
      hint: `${didYouMean(ref.id, promptIds(project))}\`promptctl list\` shows the prompts; \`promptctl new ${ref.id}\` creates it.`,
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

/**
 * `resolveVersion` for a command that changes an environment with a version it may not have typed
 * (promote takes what runs in the source environment): a registered version whose file is gone is
 * said as such, with where it is active and how to restore the file (as lint's
 * `version/deleted-deployed` says), never as "does not exist" with another version suggested.
 */
export async function resolveRegisteredVersion(project: Project, ref: PromptRef, registry: () => Registry): Promise<PromptFile> {
  const names: readonly string[] = ref.version ? versionFileNames(ref.id, ref.version) : [];
  const fileless = ref.version !== undefined && !project.prompts.some((p) => p.id === ref.id && p.version === ref.version) && !project.problems.some((p) => names.includes(p.file));
  if (!fileless) return resolveVersion(project, ref);
  const reg = registry();
  let envs: string[];
  try {
    if (!(await reg.getVersion(ref.id, ref.version!))) return resolveVersion(project, ref);
    const all = project.config.environments.map((e) => e.name);
    const latest = await activeDeployments(reg, all.map((env) => ({ promptId: ref.id, env })));
    envs = all.filter((_, i) => latest[i]?.version === ref.version);
  } finally {
    await reg.close();
  }
  const file = names[0]!;
  const where = envs.length ? `is active in ${envs.join(', ')} but its file was deleted` : 'is registered but its file was deleted';
  throw new InputError({
    message: `${ref.id}@${ref.version} ${where} (${file})`,
    why: 'a deploy judges and records a version from its file, and every deployed version must be rebuildable from git.',
    hint:
      `restore the file from git (${restoreDeletedFile(file)}), then run this again` +
      (envs.length ? `; meanwhile \`promptctl get ${ref.id} --env ${envs[0]}\` serves its registered content.` : '.'),
  });
}

/** The prompt ids the project's files hold, in name order (what a typed id is compared with). */
function promptIds(project: Project): string[] {
  return [...new Set(project.prompts.map((p) => p.id))].sort();
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
