import { registryInfo, registryMigrate, registryPruneCache } from '../app/registry-admin.js';
import { registryRoles } from '../app/registry-roles.js';
import { migrateText, pruneCacheText, registryInfoText, rolesText } from '../render/registry-admin-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl registry migrate`: creates or upgrades the registry's schema (on PostgreSQL, as its owner). */
export async function runMigrate(ctx: CommandContext, _raw: unknown): Promise<CommandResult> {
  const r = await registryMigrate(appOptions(ctx));
  return { data: r, text: () => migrateText(r) };
}

/** `promptctl registry info`: the backend, schema version and counts. */
export async function runInfo(ctx: CommandContext, _raw: unknown): Promise<CommandResult> {
  const r = await registryInfo(appOptions(ctx));
  return { data: r, text: () => registryInfoText(r) };
}

/** `promptctl registry roles [--prefix p]`: the SQL of the reader, evaluator and deployer roles. */
export async function runRoles(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const r = await registryRoles({ ...(raw as { prefix?: string }), ...appOptions(ctx) });
  return { data: r, text: () => rolesText(r) };
}

/** `promptctl registry prune-cache (--older-than <age> | --all) [--dry-run]`: removes cached answers. */
export async function runPruneCache(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const r = await registryPruneCache({ ...(raw as { olderThan?: string; all?: boolean; dryRun?: boolean }), ...appOptions(ctx) });
  return { data: r, text: () => pruneCacheText(r) };
}
