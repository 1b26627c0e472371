import { z } from 'zod';
import { parseAge } from '../core/age.js';
import { InputError } from '../core/errors.js';
import { loadProjectConfig } from '../infra/project-config.js';
import { migrateProjectRegistry, projectRegistryStats, pruneProjectCache, type MigrateResult, type PruneCacheResult } from '../infra/registry-admin.js';
import type { RegistryStats } from '../infra/registry/types.js';
import { optionName, optionSet, optionWithValue } from '../core/option-names.js';
import { appContext, type AppOptions } from './context.js';
import { NoOptions, parseOptions } from './options.js';

/**
 * `promptctl registry migrate`, `registry info` and `registry prune-cache`, on either backend. The location is
 * the SQLite file or the PostgreSQL URL without its password.
 */

export type { MigrateResult, PruneCacheResult, RegistryStats };

export async function registryMigrate(opts: AppOptions): Promise<MigrateResult> {
  parseOptions('registryMigrate', NoOptions, opts);
  const c = appContext(opts);
  return migrateProjectRegistry(loadProjectConfig(c.cwd, { env: c.env, optionNames: c.optionNames }), { env: c.env, clock: c.clock });
}

export async function registryInfo(opts: AppOptions): Promise<RegistryStats> {
  parseOptions('registryInfo', NoOptions, opts);
  const c = appContext(opts);
  return projectRegistryStats(loadProjectConfig(c.cwd, { env: c.env, optionNames: c.optionNames }), c);
}

export const PruneCacheOptions = z.object({
  /** Remove the answers cached longer ago than this age (`90d`, `12h`, `2w`). */
  olderThan: z.string().optional(),
  /** Remove every cached answer. */
  all: z.boolean().default(false),
  /** Count what would be removed; remove nothing. */
  dryRun: z.boolean().default(false),
});
export type PruneCacheOptions = z.input<typeof PruneCacheOptions>;

export interface PruneCacheReport extends PruneCacheResult {
  dryRun: boolean;
}

/**
 * Removes cached model and judge answers from the registry: those cached before `olderThan` ago, or
 * `all`. Only answers go: each run keeps its samples, so reports, gates and marks are unchanged, and
 * the next eval asks the server again for what it no longer finds.
 */
export async function registryPruneCache(opts: PruneCacheOptions & AppOptions): Promise<PruneCacheReport> {
  const o = parseOptions('registryPruneCache', PruneCacheOptions, opts);
  // The option words without the context: an option refused is exit 2 before a stopped signal counts.
  const names = opts.optionNames ?? 'keys';
  const flags = names === 'flags';
  const [olderThan, all] = [optionName(names, 'olderThan'), optionSet(names, 'all')];
  if ((o.olderThan === undefined) === !o.all) {
    throw new InputError({
      message: o.all ? `give ${olderThan} or ${all}, not both` : `say which cached answers to remove: ${optionWithValue(names, 'olderThan', '<age>')} (for example 90d) or ${all}`,
      hint: flags ? 'promptctl registry prune-cache --older-than 90d --dry-run counts what would go.' : `${optionWithValue(names, 'olderThan', '90d')} with ${optionSet(names, 'dryRun')} counts what would go.`,
    });
  }
  let olderThanMs: number | undefined;
  const c = appContext(opts);
  if (o.olderThan !== undefined) {
    const age = parseAge(o.olderThan);
    if (!age.ok) throw new InputError({ message: `${optionWithValue(names, 'olderThan', o.olderThan, `"${o.olderThan}"`)} ${age.tooFar ? 'is too long an age' : 'is not an age'}`, hint: `${age.why}.` });
    olderThanMs = age.ms;
  }
  // The cut-off comes from the registry's clock (the server's on PostgreSQL), not this machine's.
  const pruned = await pruneProjectCache(loadProjectConfig(c.cwd, { env: c.env, optionNames: c.optionNames }), { env: c.env, clock: c.clock, dryRun: o.dryRun, ...(olderThanMs === undefined ? {} : { olderThanMs }) });
  return { ...pruned, dryRun: o.dryRun };
}
