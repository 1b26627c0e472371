import { InputError } from '../core/errors.js';
import type { Project } from '../infra/project.js';
import type { Registry } from '../infra/registry/types.js';

/**
 * Names a user passes that must exist: a name that does not is bad input (exit 2), not a state to
 * refuse (exit 1).
 */

export function requireEnv(project: Pick<Project, 'config'>, env: string) {
  const found = project.config.environments.find((e) => e.name === env);
  if (!found) {
    throw new InputError({ message: `"${env}" is not an environment`, hint: `environments in .promptrc.yaml: ${project.config.environments.map((e) => e.name).join(', ')}` });
  }
  return found;
}

/**
 * A prompt id neither the files nor the registry know does not exist. The registry counts too: a
 * prompt whose files were deleted can still be active somewhere and be rolled back.
 */
export async function requirePrompt(project: Pick<Project, 'prompts'>, registry: Pick<Registry, 'listVersions' | 'listEvents'>, id: string): Promise<void> {
  await requireKnownPrompt(project.prompts.map((p) => p.id), registry, id);
}

/** `requirePrompt` for use cases that only list the prompt folders (`fileIds`) instead of loading them. */
export async function requireKnownPrompt(fileIds: string[], registry: Pick<Registry, 'listVersions' | 'listEvents'>, id: string): Promise<void> {
  if (fileIds.includes(id) || (await registry.listVersions(id)).length > 0 || (await registry.listEvents({ promptId: id, limit: 1 })).length > 0) return;
  throw new InputError({ message: `prompt "${id}" does not exist`, hint: '`promptctl list` shows the prompts; `promptctl status` shows what is deployed.' });
}
