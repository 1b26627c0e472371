import { parseRegisteredContent } from './core/registered-content.js';
import { activeDeployment } from './infra/deployments.js';
import { requireIntactContent } from './infra/registry/content-check.js';
import type { Registry } from './infra/registry/types.js';

/**
 * What applications read at run time: the active version of a prompt in an environment, served
 * from the registered (immutable, tested) content. Loads none of the CLI's dependencies.
 */

export interface ActivePromptContent {
  id?: string;
  version?: string;
  description?: string;
  model?: Record<string, unknown>;
  variables?: Array<{ name: string; type?: string; required?: boolean; max_length?: number }>;
  token_budget?: number;
  messages: Array<{ role: 'system' | 'user' | 'assistant'; content: string }>;
}

export interface ActivePrompt {
  id: string;
  version: string;
  env: string;
  contentHash: string;
  deployedAt: string;
  deployedBy: string;
  content: ActivePromptContent;
}

export async function activeVersion(registry: Registry, id: string, env: string): Promise<ActivePrompt | undefined> {
  const last = await activeDeployment(registry, id, env);
  const active = last?.version;
  if (!last || !active) return undefined;
  const found = await registry.getVersion(id, active);
  if (!found) return undefined;
  // Re-hashed on every read: an edited or swapped row is exit 3, never served.
  const record = requireIntactContent(found, last);
  return {
    id,
    version: active,
    env,
    contentHash: record.contentHash,
    deployedAt: last.at,
    deployedBy: last.actor,
    content: parseRegisteredContent<ActivePromptContent>(record),
  };
}

export interface Bundle {
  env: string;
  exportedAt: string;
  prompts: Record<string, ActivePrompt>;
}

export async function activeBundle(registry: Registry, env: string, now: Date): Promise<Bundle> {
  const prompts: Record<string, ActivePrompt> = {};
  for (const id of await registry.listPromptIds()) {
    const a = await activeVersion(registry, id, env);
    if (a) prompts[id] = a;
  }
  return { env, exportedAt: now.toISOString(), prompts };
}
