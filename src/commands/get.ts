import { bundleText, exportPrompts, getPrompt } from '../app/prompts.js';
import { exportText, promptText } from '../render/registry-text.js';
import { isStdoutPath } from '../core/stdout-path.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl get <id> --env` and `promptctl export --env [-o file]`: what applications run. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const { env, ...flags } = raw as { id: string; env: string };
  const active = await getPrompt({ ...flags, environment: env, ...appOptions(ctx) });
  return { data: active, text: () => promptText(active) };
}

export async function runExport(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const { env, output, ...flags } = raw as { env: string; output?: string };
  // `-o -` is standard output (core/stdout-path.ts; it wrote a file named "-").
  const r = await exportPrompts({ ...flags, ...(output === undefined || isStdoutPath(output) ? {} : { output }), environment: env, ...appOptions(ctx) });
  return { data: r.bundle, text: () => exportText(r, bundleText(r.bundle)) };
}
