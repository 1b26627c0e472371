import { ConfigOptions, effectiveConfig, type EffectiveConfig } from '../app/config.js';
import { effectiveConfigText } from '../render/config-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl config --effective`: every gate of every environment, with its value and where it comes from. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<EffectiveConfig>> {
  const opts = ConfigOptions.parse(raw);
  const data = await effectiveConfig({ ...appOptions(ctx), ...opts });
  return { data, text: () => effectiveConfigText(data) };
}
