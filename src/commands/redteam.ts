import { redteamGenerate, RedteamGenerateOptions } from '../app/redteam.js';
import { redteamText } from '../render/scaffold-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl redteam generate <id> [--packs ...]`: an adversarial suite from the shipped attack packs. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const opts = RedteamGenerateOptions.parse(raw);
  const result = await redteamGenerate({ ...opts, ...appOptions(ctx) });
  return { data: result.generated, text: () => redteamText(result) };
}
