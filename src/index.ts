/**
 * promptctl as a library, for applications at run time. This entry loads better-sqlite3 and the
 * registry only: none of the CLI's dependencies (commander, zod, yaml, ink, react, openai).
 *
 *   import { openRegistry } from 'promptctl';
 *   const registry = openRegistry({ path: '.promptctl/registry.db' });
 *   const prompt = await registry.getActive('support-answer', 'production');
 *
 * Every call returns a Promise (since 0.2.0), so a server-backed registry fits the same API.
 */
import { openSqliteRegistry } from './infra/registry/sqlite.js';
import { activeBundle, activeVersion, type ActivePrompt, type Bundle } from './registry-api.js';

export type { ActivePrompt, ActivePromptContent, Bundle } from './registry-api.js';

export interface PromptRegistryReader {
  /** The active version of a prompt in an environment, or undefined when none is deployed there. */
  getActive(id: string, env: string): Promise<ActivePrompt | undefined>;
  /** Every prompt active in an environment. */
  exportEnv(env: string): Promise<Bundle>;
  close(): Promise<void>;
}

export function openRegistry(opts: { path: string }): PromptRegistryReader {
  const registry = openSqliteRegistry({ path: opts.path, readonly: true });
  return {
    getActive: (id, env) => activeVersion(registry, id, env),
    exportEnv: (env) => activeBundle(registry, env, new Date()),
    close: () => registry.close(),
  };
}
