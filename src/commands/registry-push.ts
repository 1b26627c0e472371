import { registryPush } from '../app/registry-push.js';
import { pushProgressLine, pushText } from '../render/registry-push-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl registry push [--to <url>] [--from <file>] [--skip-events]`. */
export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const o = raw as { to?: string; from?: string; skipEvents?: boolean };
  const r = await registryPush({ ...appOptions(ctx), to: o.to, from: o.from, skipEvents: Boolean(o.skipEvents), onProgress: (e) => ctx.out.error(pushProgressLine(e)) });
  return { data: r, text: () => pushText(r), exitCode: r.exitCode };
}
