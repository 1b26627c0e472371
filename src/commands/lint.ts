import { lint, LintOptions, type LintOutcome } from '../app/lint.js';
import { lintText } from '../render/lint-text.js';
import type { CommandContext, CommandResult } from './context.js';

/** `promptctl lint [paths...] [--strict] [--server]`: errors exit 2, and warnings too under --strict. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<LintOutcome>> {
  const opts = LintOptions.parse(raw);
  const result = await lint({ ...opts, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock, signal: ctx.signal, onProgress: (e) => ctx.out.error(e.message) });
  return { data: result.outcome, exitCode: result.exitCode, text: () => lintText(result) };
}
