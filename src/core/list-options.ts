import { InputError } from './errors.js';
import { Slug } from './schemas/common.js';

/**
 * commander gives a list option (`--suite <name...>`, `--model <name...>`, `--tag`, `--case`) every
 * word after it, so prompt versions written after one are read as its values. One wording for every
 * command with such an option (eval, compare).
 */

export function takesEveryWord(flag: string, readAs: string, what = 'a prompt version'): string {
  return `${flag} takes every word after it, so ${what} written after it is read as ${readAs}`;
}

/** The words that are prompt versions (`<id>@<version>`); `isId` narrows to a project's prompt ids. */
export function promptRefsAmong(words: readonly string[], isId: (id: string) => boolean = (id) => Slug.safeParse(id).success): string[] {
  return words.filter((w) => {
    const at = w.indexOf('@');
    return at > 0 && at < w.length - 1 && isId(w.slice(0, at));
  });
}

/**
 * Versions a list option took: exit 2 saying so, with the command written the right way round.
 * `before`: the arguments already in place; `noun`/`readAs`: what the option's values are.
 */
export function versionsAfterListOption(o: { command: string; flag: string; values: readonly string[]; taken: readonly string[]; before?: readonly string[]; noun: string; readAs: string }): InputError {
  const rest = o.values.filter((v) => !o.taken.includes(v));
  return new InputError({
    message: `${o.taken.map((r) => `"${r}"`).join(', ')} after ${o.flag} ${o.taken.length === 1 ? 'is a prompt version' : 'are prompt versions'}, not ${o.noun}`,
    why: `${takesEveryWord(o.flag, o.readAs)}.`,
    hint: `put the versions before ${o.flag}: promptctl ${o.command} ${[...(o.before ?? []), ...o.taken].join(' ')} ${o.flag} ${rest.join(' ') || `<${o.noun.replace(/^an? /, '')}>`}`,
  });
}
