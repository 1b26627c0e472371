import { formatError, type PromptctlError } from '../core/errors.js';
import type { CommandContext, CommandResult } from './context.js';

/**
 * A refused deploy, promote or rollback. At a terminal it is an error like any other (thrown:
 * message, reasons, why, hint). Under `--json` a release bot must see why, so stdout gets one object:
 * the result with its checks (kind and numbers, as the dry run gives them) plus the error's fields,
 * and stderr the error's text, as for every failure; the exit code is the error's.
 */
export function refused<T extends object>(ctx: CommandContext, result: T, error: PromptctlError): CommandResult<T> {
  if (!ctx.out.json) throw error;
  ctx.out.error(formatError(error));
  return { data: { ...result, ...error.toJSON() }, exitCode: error.exitCode, text: () => [] };
}
