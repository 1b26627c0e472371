import { registryInfo, registryMigrate } from '../app/registry-admin.js';
import { migrateText, registryInfoText } from '../render/registry-admin-text.js';
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
