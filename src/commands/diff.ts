import { diff, DiffOptions } from '../app/diff.js';
import { diffText } from '../render/prompt-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl diff <id> <v1> <v2>`: a unified diff of messages and settings. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const opts = DiffOptions.parse(raw);
  const result = await diff({ ...opts, ...appOptions(ctx) });
  return { data: result, text: () => diffText(result) };
}
