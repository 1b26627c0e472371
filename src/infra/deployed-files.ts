import { existsSync } from 'node:fs';
import path from 'node:path';
import { deletedDeployedProblem } from '../core/ci/checks.js';
import type { Problem } from '../core/errors.js';
import type { DeployedFileState } from '../core/version-state.js';
import { versionFileNames } from '../core/refs.js';
import { activeDeployments } from './deployments.js';
import { howDeleted } from './git.js';
import { loadPromptsOf, type Project } from './project.js';
import type { Registry } from './registry/types.js';
import { checkVersions } from './version-states.js';

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
  const problems: Problem[] = [];
  for (const [ref, { id, version, envs: where }] of active) {
    if (loaded.has(ref)) continue;
    const file = deletedVersionFile(project.root, id, version);
    if (file) problems.push(deletedDeployedProblem(ref, file, where));
  }
  return problems;
}

/**
 * The version's file as git knows it deleted in this checkout; undefined when a file is there (one
 * that fails to load is lint's own problem) or this checkout never had it.
 */
function deletedVersionFile(root: string, id: string, version: string): string | undefined {
  // The loader reads `.yaml` and `.yml`: the file git knows as deleted is the one to name.
  const names = versionFileNames(id, version);
  if (names.some((f) => existsSync(path.join(root, f)))) return undefined;
  // Renamed (.yaml to .yml) and then deleted, both names were deleted: the nearest deletion is this one.
  const order = ['working-tree', 'staged', 'committed'];
  const deleted = names.map((f) => ({ f, how: howDeleted(root, f) })).filter((d) => d.how !== undefined);
  return deleted.sort((a, b) => order.indexOf(a.how!) - order.indexOf(b.how!))[0]?.f;
}

/**
 * What `status` says of each active version of a prompt this checkout has: its file edited after
 * release (by the rule deploy refuses with, infra/version-states.ts), deleted, or nothing.
 */
export async function deployedFileStates(
  registry: Registry,
  root: string,
  active: ReadonlyArray<{ promptId: string; version: string }>,
  env?: Readonly<Record<string, string | undefined>>,
): Promise<Array<DeployedFileState | undefined>> {
  const files = loadPromptsOf(root, [...new Set(active.map((a) => a.promptId))], env);
  const fileOf = new Map(files.map((f) => [`${f.id}@${f.version}`, f]));
  const checked = new Map((await checkVersions(registry, [...new Set(active.map((a) => fileOf.get(`${a.promptId}@${a.version}`)).filter((f) => f !== undefined))])).map((c) => [`${c.file.id}@${c.file.version}`, c]));
  return active.map(({ promptId, version }): DeployedFileState | undefined => {
    const c = checked.get(`${promptId}@${version}`);
    if (c) return c.verdict.state === 'released' && !c.verdict.allowed ? { state: 'edited', file: c.file.file, releasedHash: c.verdict.releasedHash, fileHash: c.file.hash } : undefined;
    const file = deletedVersionFile(root, promptId, version);
    return file ? { state: 'deleted', file } : undefined;
  });
}
