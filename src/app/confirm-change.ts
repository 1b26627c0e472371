import { isLastEnvironment } from '../core/environments.js';
import { loadProjectConfig } from '../infra/project-config.js';
import { appContext, type AppOptions } from './context.js';

/**
 * Whether changing `environment` (deploy, promote, rollback) is a change to the last environment
 * of the project's order, which a person at a terminal confirms first. Reads only the config; a
 * name not in the order is false here, and the change itself then refuses it (exit 2).
 */
export function changesLastEnvironment(opts: AppOptions & { environment: string }): boolean {
  const { config } = loadProjectConfig(appContext(opts).cwd, { env: appContext(opts).env, optionNames: appContext(opts).optionNames });
  return isLastEnvironment(config.environments.map((e) => e.name), opts.environment);
}
