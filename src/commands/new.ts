import { newVersion, NewVersionOptions } from '../app/new-version.js';
import { newVersionText } from '../render/scaffold-text.js';
import type { CommandContext, CommandResult } from './context.js';

/** `promptctl new <id> [--patch|--minor|--major] [--description ...] [--author ...]`: the next version file. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const opts = NewVersionOptions.parse(raw);
  const result = await newVersion({ ...opts, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock, signal: ctx.signal });
  return { data: result, text: () => newVersionText(result) };
}
