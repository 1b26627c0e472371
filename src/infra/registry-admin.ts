import { existsSync } from 'node:fs';
import type { Clock } from './clock.js';
import type { Project } from './project.js';
import { openProjectRegistry } from './project-registry.js';
import type { RegistryAccess } from './registry-access.js';
import { PgConnection } from './registry/postgres/connection.js';
import { MIGRATE_LOCK_WAIT_MS, MIGRATE_TURN_WAIT_MS, migrateSchema } from './registry/postgres/migrate.js';
import { openSqliteRegistry } from './registry/sqlite.js';
import type { Env } from './registry/target.js';
import { checkRegistryPath, projectRegistryTarget, type RegistryProject } from './registry-path.js';
import type { PrunedCache, RegistryStats } from './registry/types.js';

/**
 * The registry itself, whichever backend: `registry migrate`, `registry info` and `registry prune-cache`. On PostgreSQL
 * only migrate creates or upgrades the schema (as its owner); SQLite migrates when a writer opens it
 * (a reader reads an older file as it is: registry/sqlite-older.ts).
 */

export interface MigrateResult {
  backend: RegistryStats['backend'];
  location: string;
  /** PostgreSQL: the schema migrated. */
  schema?: string;
  from: number;
  to: number;
}

export async function migrateProjectRegistry(project: RegistryProject, opts: { env: Env; clock: Pick<Clock, 'date'> }): Promise<MigrateResult> {
  const target = projectRegistryTarget(project, opts.env);
  if (target.backend === 'postgres') {
    const conn = new PgConnection(target.pg, 'none');
    try {
      const done = await conn.withClient('migrating the schema', (client, notes) => migrateSchema(client, target.pg, opts.clock.date().toISOString(), { notes, lockWaitMs: conn.underAnswer(MIGRATE_LOCK_WAIT_MS), turnWaitMs: conn.underAnswer(MIGRATE_TURN_WAIT_MS) }));
      return { backend: 'postgres', location: target.pg.display, schema: target.pg.schema, ...done };
    } finally {
      await conn.close();
    }
  }
  // As every other command checks it (exit 2 naming registry.path): a folder or a YAML file there is
  // a wrong path, not a damaged registry or a disk error, and SQLite must not open it.
  const file = checkRegistryPath(project);
  const from = existsSync(file) ? (await readStats(file)).schemaVersion : 0;
  // Opening a SQLite registry read-write applies its migrations.
  const registry = openSqliteRegistry({ path: file, clock: opts.clock });
  try {
    return { backend: 'sqlite', location: file, from, to: (await registry.stats()).schemaVersion };
  } finally {
    await registry.close();
  }
}

async function readStats(file: string): Promise<RegistryStats> {
  const registry = openSqliteRegistry({ path: file, readonly: true });
  try {
    return await registry.stats();
  } finally {
    await registry.close();
  }
}

/**
 * The backend, schema version and counts. No SQLite file at registry.path is exit 2 ("no registry
 * at <path>", as status says): describing an empty registry there would hide a misspelt path.
 */
export async function projectRegistryStats(project: Pick<Project, 'root' | 'config'>, opts: RegistryAccess): Promise<RegistryStats> {
  const target = projectRegistryTarget(project, opts.env);
  const registry = openProjectRegistry(project, { env: opts.env, clock: opts.clock, readonly: true, mustExist: true });
  try {
    const stats = await registry.stats();
    return target.backend === 'sqlite' ? { ...stats, location: target.path, ...(existsSync(target.path) ? {} : { noFileYet: true as const }) } : stats;
  } finally {
    await registry.close();
  }
}

export interface PruneCacheResult extends PrunedCache {
  backend: RegistryStats['backend'];
  location: string;
  /** PostgreSQL: the schema whose cache was pruned. */
  schema?: string;
  /** The cut-off: answers cached before it are removed (absent without `olderThanMs`). */
  before?: string;
}

/**
 * Removes (or with `dryRun` counts) the cached answers cached more than `olderThanMs` ago (all
 * when undefined). The age is measured on the registry's clock (`Registry.time`), the one answers
 * were dated by: on PostgreSQL the server's, so neither the pruning machine's clock nor the clocks
 * of the machines that cached them matter. No SQLite file at registry.path is exit 2, as for
 * `registry info`. On PostgreSQL it takes DELETE on response_cache, which only the schema owner
 * has (the evaluator may add answers, not drop them).
 */
export async function pruneProjectCache(project: Pick<Project, 'root' | 'config'>, opts: RegistryAccess & { olderThanMs?: number; dryRun: boolean }): Promise<PruneCacheResult> {
  const target = projectRegistryTarget(project, opts.env);
  const registry = openProjectRegistry(project, { env: opts.env, clock: opts.clock, readonly: opts.dryRun, mustExist: true });
  try {
    const before = opts.olderThanMs === undefined ? undefined : new Date(Date.parse(await registry.time()) - opts.olderThanMs).toISOString();
    const pruned = opts.dryRun ? await registry.countCachedResponses(before) : await registry.pruneCachedResponses(before);
    return { backend: target.backend, ...(target.backend === 'sqlite' ? { location: target.path } : { location: target.pg.display, schema: target.pg.schema }), ...pruned, ...(before === undefined ? {} : { before }) };
  } finally {
    await registry.close();
  }
}
