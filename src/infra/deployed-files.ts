import { existsSync } from 'node:fs';
import path from 'node:path';
import { deletedDeployedProblem } from '../core/ci/checks.js';
import type { Problem } from '../core/errors.js';
import { versionFileNames } from '../core/refs.js';
import { activeDeployments } from './deployments.js';
import { howDeleted } from './git.js';
import type { Project } from './project.js';
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
  const problems: Problem[] = [];
  for (const [ref, { id, version, envs: where }] of active) {
    // The loader reads `.yaml` and `.yml`: the file git knows as deleted is the one to name.
    const names = versionFileNames(id, version);
    // A file that is there but failed to load is lint's own problem, not a deleted one.
    if (loaded.has(ref) || names.some((f) => existsSync(path.join(project.root, f)))) continue;
    // Renamed (.yaml to .yml) and then deleted, both names were deleted: the nearest deletion is this one.
    const order = ['working-tree', 'staged', 'committed'];
    const deleted = names.map((f) => ({ f, how: howDeleted(project.root, f) })).filter((d) => d.how !== undefined);
    const file = deleted.sort((a, b) => order.indexOf(a.how!) - order.indexOf(b.how!))[0]?.f;
    if (file) problems.push(deletedDeployedProblem(ref, file, where));
  }
  return problems;
}
