import { power } from '../app/power.js';
import { powerText } from '../render/power-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl power <prompt>/<suite> [--env e]`: how many cases the suite's regression check needs. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const { suite, env } = raw as { suite: string; env?: string };
  const data = await power({ suite, environment: env, ...appOptions(ctx) });
  return { data, text: () => powerText(data) };
}
