import { status } from '../app/status.js';
import { statusText } from '../render/registry-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl status [--env]`: every prompt × environment: version, tested, when and by whom. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const { env } = raw as { env?: string };
  const { rows, versions, warnings } = await status({ environment: env, ...appOptions(ctx) });
  for (const w of warnings) ctx.out.error(`warning: ${w}`);
  return { data: { rows, versions }, text: () => statusText(rows, versions) };
}
