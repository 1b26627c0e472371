import { renderPrompt, RenderPromptOptions } from '../app/render-prompt.js';
import { messagesText } from '../render/prompt-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl render <id>@<version> --var k=v ... [--vars-file f.yaml]`: the exact messages that would be sent. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const opts = RenderPromptOptions.parse(raw);
  const result = await renderPrompt({ ...opts, ...appOptions(ctx) });
  // Warnings go to stderr, as every command's do (`--json` carries them in `warnings`).
  if (!ctx.out.json) for (const w of result.warnings ?? []) ctx.out.error(`warning: ${w}`);
  return { data: result, text: () => messagesText(result.messages) };
}
