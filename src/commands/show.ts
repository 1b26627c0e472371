import { show, ShowOptions } from '../app/show.js';
import { showText } from '../render/prompt-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl show <id>[@version]`: one version in full (the highest when no version is given). */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const opts = ShowOptions.parse(raw);
  const result = await show({ ...opts, ...appOptions(ctx) });
  // The file alone, so it can be saved as the version file.
  const file = result.releasedFile ?? result.registeredFile;
  return { data: result, text: () => (file !== undefined ? [file.trimEnd()] : showText(result)) };
}
