import { status } from '../app/status.js';
import { statusText, unconfiguredWarning } from '../render/registry-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl status [--env]`: every prompt × environment: version, tested, when and by whom. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const { env } = raw as { env?: string };
  const { rows, versions, warnings, unconfiguredEnvironments } = await status({ environment: env, ...appOptions(ctx) });
  for (const w of [...warnings, ...unconfiguredEnvironments.map(unconfiguredWarning)]) ctx.out.error(`warning: ${w}`);
  // --json carries the warnings too (as get does): a machine reading it must see the tampering a person is told of.
  return { data: { rows, versions, ...(warnings.length ? { warnings } : {}), ...(unconfiguredEnvironments.length ? { unconfiguredEnvironments } : {}) }, text: () => statusText(rows, versions) };
}
