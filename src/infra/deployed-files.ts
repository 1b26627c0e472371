import { existsSync } from 'node:fs';
import path from 'node:path';
import { deletedDeployedProblem } from '../core/ci/checks.js';
import type { Problem } from '../core/errors.js';
import { restoreDeletedFile, versionState, type DeployedFileState, type Deletion, type GitDeletion } from '../core/version-state.js';
import { versionFileNames } from '../core/refs.js';
import { activeDeployments } from './deployments.js';
import { editOrigins } from './edit-origins.js';
import { gitDeletions, gitHasNoCopy } from './git-deletions.js';
import { loadPromptsOf, type Project } from './project.js';
import { fromCwdOf } from './real-path.js';
import type { Registry } from './registry/types.js';

/**
 * Versions that an environment of the project runs but whose file this checkout deleted: the
 * `version/deleted-deployed` error ci raises for the files a pull request deletes, found by `lint`
 * from the registry (one read of every prompt's newest event per environment), so the two agree.
 * Deleted means git knows the file as deleted here (infra/git.ts); a file this branch never had,
 * such as a version deployed from another branch to a shared registry, is not this checkout's
 * problem, and git is asked only about active versions whose file is missing.
 */
export async function deployedWithoutFile(registry: Registry, project: Project): Promise<Problem[]> {
  const envs = project.config.environments.map((e) => e.name);
  const keys = (await registry.listPromptIds()).flatMap((promptId) => envs.map((env) => ({ promptId, env })));
  if (!keys.length) return [];
  const latest = await activeDeployments(registry, keys);
  const loaded = new Set(project.prompts.map((p) => `${p.id}@${p.version}`));
  const active = new Map<string, { id: string; version: string; envs: string[] }>();
  latest.forEach((event, i) => {
    if (!event?.version) return;
    const ref = `${event.promptId}@${event.version}`;
    const entry = active.get(ref) ?? { id: event.promptId, version: event.version, envs: [] };
    entry.envs.push(keys[i]!.env);
    active.set(ref, entry);
  });
  const unloaded = [...active].filter(([ref]) => !loaded.has(ref));
  const deleted = deletedVersionFiles(project.root, unloaded.map(([, v]) => v));
  return unloaded.flatMap(([ref, { envs: where }]) => {
    const gone = deleted.get(ref);
    return gone ? [deletedDeployedProblem(ref, gone.file, where, restoreDeletedFile(fromCwdOf(project)(gone.file), gone.how))] : [];
  });
}

/**
 * Each version's file as git knows it deleted in this checkout (tracked and missing from the working
 * tree, its removal staged, or removed by a commit of the current history; a shallow clone knows
 * only the commits it holds), by `id@version`. A version whose file is there (one that fails to load
 * is lint's own problem) or that this checkout never had (deployed from another branch of a shared
 * registry) is left out. Three git calls for all of them, none outside a repository.
 */
export function deletedVersionFiles(root: string, versions: ReadonlyArray<{ id: string; version: string }>): Map<string, { file: string; how: GitDeletion }> {
  // The loader reads `.yaml` and `.yml`: the file git knows as deleted is the one to name.
  const missing = versions.flatMap(({ id, version }) => {
    const names = versionFileNames(id, version);
    return names.some((f) => existsSync(path.join(root, f))) ? [] : [{ ref: `${id}@${version}`, names }];
  });
  const found = new Map<string, { file: string; how: GitDeletion }>();
  // Renamed (.yaml to .yml) and then deleted, both names were deleted: the nearest deletion names it.
  const deleted = gitDeletions(root, missing.flatMap((m) => m.names), { committed: true });
  const nearness: readonly GitDeletion[] = ['working-tree', 'staged', 'committed'];
  for (const { ref, names } of missing) {
    const hit = names.flatMap((file) => (deleted.has(file) ? [{ file, how: deleted.get(file)! }] : [])).sort((a, b) => nearness.indexOf(a.how) - nearness.indexOf(b.how))[0];
    if (hit) found.set(ref, hit);
  }
  return found;
}

/**
 * The missing file of a registered version, and how it can come back: as git knows it deleted
 * (`deletedVersionFiles`), else `untracked` when no commit ever had it (an uncommitted draft that
 * was deployed, a project outside git), whose restore is the registry's copy; `how` absent when git
 * cannot tell. The file git knows, else the version's first file name.
 */
export function goneVersionFile(root: string, id: string, version: string): { file: string; how?: Deletion } {
  const names = versionFileNames(id, version);
  const deletion = deletedVersionFiles(root, [{ id, version }]).get(`${id}@${version}`);
  const how: Deletion | undefined = deletion?.how ?? (gitHasNoCopy(root, names) ? 'untracked' : undefined);
  return { file: deletion?.file ?? names[0]!, ...(how ? { how } : {}) };
}

/**
 * What `status` says of each active version of a prompt this checkout has: its file no longer holds
 * the content the environment serves (edited after release: a released version never changes, so
 * that is the content it was released with), deleted, or nothing. Only the served versions' files
 * are read, and no registry: the served hash comes with the active event. An edited file says
 * whether it is an edit here or the checked-out commit's content (edit-origins.ts), the next free
 * number counted from `known` (a prompt's version numbers, registered or with a file).
 */
export function deployedFileStates(
  root: string,
  active: ReadonlyArray<{ promptId: string; version: string; servedHash?: string }>,
  env?: Readonly<Record<string, string | undefined>>,
  known: (id: string) => readonly string[] = () => [],
): Array<DeployedFileState | undefined> {
  const files = loadPromptsOf(root, active.map((a) => ({ id: a.promptId, version: a.version })), env);
  const fileOf = new Map(files.map((f) => [`${f.id}@${f.version}`, f]));
  const deleted = deletedVersionFiles(root, active.filter((a) => !fileOf.has(`${a.promptId}@${a.version}`)).map((a) => ({ id: a.promptId, version: a.version })));
  const states = active.map(({ promptId, version, servedHash }): DeployedFileState | undefined => {
    const file = fileOf.get(`${promptId}@${version}`);
    // The one rule (core/version-state.ts): a served version is released, with the content it serves.
    // A version served under the hash registries gave it before 0.2.0 is the file whose sorted form has it (registered-form.ts).
    const fileHash = file && servedHash !== undefined && file.sortedHash === servedHash ? servedHash : file?.hash;
    const verdict = file && servedHash ? versionState({ fileHash: fileHash!, releasedIn: ['served'], releasedHash: servedHash }) : undefined;
    if (file) return verdict?.state === 'released' && !verdict.allowed ? { state: 'edited', file: file.file, releasedHash: verdict.releasedHash, fileHash: file.hash } : undefined;
    const gone = deleted.get(`${promptId}@${version}`);
    return gone ? { state: 'deleted', file: gone.file, how: gone.how } : undefined;
  });
  const edited = states.flatMap((s, i) => (s?.state === 'edited' ? [{ id: active[i]!.promptId, version: active[i]!.version, file: s.file }] : []));
  const origins = editOrigins(root, edited, known);
  return states.map((s) => (s?.state === 'edited' && origins.has(s.file) ? { ...s, origin: origins.get(s.file)! } : s));
}
