import { redteamGenerate, RedteamGenerateOptions } from '../app/redteam.js';
import { redteamText } from '../render/scaffold-text.js';
import { InputError } from '../core/errors.js';
import { takesEveryWord } from '../core/list-options.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl redteam generate <id> [--packs ...]`: an adversarial suite from the shipped attack packs. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  requireId(raw as { id?: string; packs?: string[] });
  const opts = RedteamGenerateOptions.parse(raw);
  const result = await redteamGenerate({ ...opts, ...appOptions(ctx) });
  return { data: result.generated, text: () => redteamText(result) };
}

/** The prompt id, or exit 2 saying what went wrong: `--packs` takes every word after it, so an id written after it is read as a pack. */
function requireId({ id, packs = [] }: { id?: string; packs?: string[] }): void {
  if (id !== undefined) return;
  const last = packs.length > 1 || (packs.length === 1 && packs[0] !== 'all') ? packs[packs.length - 1] : undefined;
  throw new InputError({
    message: 'redteam generate needs a prompt id',
    ...(last ? { why: `${takesEveryWord('--packs', 'a pack', 'a prompt id')}.` } : {}),
    hint: last ? `if ${JSON.stringify(last)} is the prompt id, put it before the flag: promptctl redteam generate ${last} --packs ${packs.slice(0, -1).join(' ') || 'all'}` : 'write promptctl redteam generate <id>, for example promptctl redteam generate support-answer.',
  });
}
