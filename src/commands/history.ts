import { history } from '../app/history.js';
import { historyText } from '../render/history-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl history [<id>] [--env] [--limit n]`: the audit trail, newest last. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const { env, ...flags } = raw as { env?: string };
  const h = await history({ ...flags, environment: env, ...appOptions(ctx) });
  for (const w of h.warnings) ctx.out.error(`warning: ${w}`);
  // --json carries the warnings too (as get does): a machine reading it must see the tampering a person is told of;
  // and, as the text says, the time --since counts from and how many events the filters left out (no event is not "nothing recorded").
  const filtered = { ...(h.since ? { since: h.since } : {}), ...(h.leftOut !== undefined ? { leftOut: h.leftOut } : {}) };
  return { data: { events: h.events, ...filtered, ...(h.warnings.length ? { warnings: h.warnings } : {}) }, text: () => historyText(h) };
}
