import { z } from 'zod';
import { completionScript, SHELLS, type CommandTree } from '../render/completion.js';
import type { CommandContext, CommandResult } from './context.js';

/** `promptctl completion bash|zsh|fish`: prints a completion script for the commands commander defines. */

const CompletionOptions = z.object({ shell: z.enum(SHELLS), tree: z.custom<CommandTree>((t) => typeof t === 'object' && t !== null) });

export async function run(_ctx: CommandContext, raw: unknown): Promise<CommandResult<{ shell: string; script: string }>> {
  const { shell, tree } = CompletionOptions.parse(raw);
  const script = completionScript(shell, tree);
  return { data: { shell, script }, text: () => [script.trimEnd()] };
}
