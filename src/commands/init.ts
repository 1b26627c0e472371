import { init, InitOptions, type InitResult } from '../app/init.js';
import { initText } from '../render/scaffold-text.js';
import type { CommandContext, CommandResult } from './context.js';

/** `promptctl init [dir]`: scaffolds the example project. Never overwrites an existing file. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<InitResult>> {
  const opts = InitOptions.parse(raw);
  const result = await init({ ...opts, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock, signal: ctx.signal });
  return { data: result, text: () => initText(result) };
}
