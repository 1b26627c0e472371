import { compare, CompareOptions } from '../app/compare.js';
import type { ProgressEvent } from '../core/schemas/report.js';
import { InputError } from '../core/errors.js';
import { promptRefsAmong, versionsAfterListOption } from '../core/list-options.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** Both sides, or exit 2 saying what went wrong: `--suite` takes every word after it, so versions written after it are lost to it. */
function requireSides({ a, b, suite = [] }: { a?: string; b?: string; suite?: string[] }): void {
  if (a !== undefined && b !== undefined) return;
  const taken = promptRefsAmong(suite);
  if (taken.length) throw versionsAfterListOption({ command: 'compare', flag: '--suite', values: suite, taken, before: a === undefined ? [] : [a], noun: 'a suite', readAs: 'a suite name' });
  throw new InputError({ message: `compare needs two versions, got ${a === undefined ? 'none' : `only ${a}`}`, hint: 'write promptctl compare <id>@<a> <id>@<b>, for example promptctl compare support-answer@1.0.0 support-answer@1.1.0.' });
}

/** `promptctl compare <id>@<a> <id>@<b>`: parses options, calls `compare`, prints the side-by-side view. */

export async function run(ctx: CommandContext, raw: unknown) {
  requireSides(raw as { a?: string; b?: string; suite?: string[] });
  const opts = CompareOptions.parse(raw);
  const { progressFor } = await import('../render/eval-text.js');
  let progress: { onEvent: (e: ProgressEvent) => void; stop: () => Promise<void> } | undefined;
  const data = await compare({
    ...opts,
    ...appOptions(ctx),
    onProgress: (e) => progress?.onEvent(e),
    onEvaluation: async (phase) => {
      if (phase === 'start') progress = await progressFor(ctx.out, () => ctx.clock.now());
      else await progress?.stop();
    },
  });
  const { evaluatedText, formatComparison } = await import('../render/compare.js');
  const rows = data.rows.map(({ change: _, ...row }) => row);
  const input = { promptId: data.promptId, a: data.a, b: data.b, rows };
  return {
    data,
    text: () => [
      ...evaluatedText(data),
      ...data.notes.map((n) => `note: ${n}`),
      // The terminal's width, as every table has; in a pipe, COLUMNS when set, else 120.
      formatComparison(input, { color: ctx.out.color, width: ctx.out.width ?? (Number(ctx.env.COLUMNS) || 120) }),
    ],
  } satisfies CommandResult;
}
