import { loadProjectConfig } from '../infra/project-config.js';
import { migrateProjectRegistry, projectRegistryStats, type MigrateResult } from '../infra/registry-admin.js';
import type { RegistryStats } from '../infra/registry/types.js';
import { appContext, type AppOptions } from './context.js';
import { NoOptions, parseOptions } from './options.js';

/**
 * `promptctl registry migrate` and `promptctl registry info`, on either backend. The location is
 * the SQLite file or the PostgreSQL URL without its password.
 */

export type { MigrateResult, RegistryStats };

export async function registryMigrate(opts: AppOptions): Promise<MigrateResult> {
  parseOptions('registryMigrate', NoOptions, opts);
  const c = appContext(opts);
  return migrateProjectRegistry(loadProjectConfig(c.cwd, { env: c.env }), { env: c.env, clock: c.clock });
}

export async function registryInfo(opts: AppOptions): Promise<RegistryStats> {
  parseOptions('registryInfo', NoOptions, opts);
  const c = appContext(opts);
  return projectRegistryStats(loadProjectConfig(c.cwd, { env: c.env }), { env: c.env });
}
