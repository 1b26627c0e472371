import { lint, LintOptions, type LintOutcome } from '../app/lint.js';
import { lintNoticeLine, lintText } from '../render/lint-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl lint [paths...] [--strict] [--server]`: errors exit 2, and warnings too under --strict. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<LintOutcome>> {
  const opts = LintOptions.parse(raw);
  const result = await lint({ ...opts, ...appOptions(ctx), onProgress: (e) => ctx.out.error(lintNoticeLine(e.message)) });
  return { data: result.outcome, exitCode: result.exitCode, text: () => lintText(result) };
}
