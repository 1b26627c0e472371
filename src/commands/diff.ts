import { diff, DiffOptions } from '../app/diff.js';
import { diffText } from '../render/prompt-text.js';
import { diffSides } from '../core/refs.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl diff <id>@<a> <id>@<b>` (or `<id> <a> <b>`): a unified diff of messages and settings. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const opts = DiffOptions.parse(diffSides((raw as { refs: string[] }).refs));
  const result = await diff({ ...opts, ...appOptions(ctx) });
  return { data: result, text: () => diffText(result) };
}
