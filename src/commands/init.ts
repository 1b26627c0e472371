import { init, InitOptions, type InitResult } from '../app/init.js';
import { initText } from '../render/scaffold-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl init [dir]`: scaffolds the example project. Never overwrites an existing file. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<InitResult>> {
  const opts = InitOptions.parse(raw);
  const result = await init({ ...opts, ...appOptions(ctx) });
  // Warnings go to stderr, as every command's do (`--json` carries them in `warnings`).
  if (!ctx.out.json) for (const w of result.warnings) ctx.out.error(`warning: ${w}`);
  return { data: result, text: () => initText(result) };
}
