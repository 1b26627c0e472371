import path from 'node:path';
import { init, InitOptions, type InitResult } from '../app/init.js';
import { initText } from '../render/scaffold-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl init [dir]`: scaffolds the example project. Never overwrites an existing file. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<InitResult>> {
  const opts = InitOptions.parse(raw);
  const made = await init({ ...opts, ...appOptions(ctx) });
  // The next step's `cd` is typed in the shell that ran the command, not in the -C folder.
  const cd = path.relative(ctx.startedIn ?? ctx.cwd, made.root);
  const { cd: _fromCwd, ...rest } = made;
  const result: InitResult = { ...rest, ...(cd ? { cd } : {}) };
  // Warnings go to stderr, as every command's do (`--json` carries them in `warnings`).
  if (!ctx.out.json) for (const w of result.warnings) ctx.out.error(`warning: ${w}`);
  return { data: result, text: () => initText(result) };
}
