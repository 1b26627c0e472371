import { newVersion, NewVersionOptions } from '../app/new-version.js';
import { newVersionText } from '../render/scaffold-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl new <id> [--patch|--minor|--major] [--description ...] [--author ...]`: the next version file. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const opts = NewVersionOptions.parse(raw);
  const result = await newVersion({ ...opts, ...appOptions(ctx) });
  return { data: result, text: () => newVersionText(result) };
}
