import type { Command } from 'commander';

interface ZodLikeError {
  name: 'ZodError';
  issues: Array<{ path: PropertyKey[]; message: string }>;
}

/**
 * Commands parse their options with zod; a value commander let through but the schema refuses
 * (`--repeat 0`, `--limit abc`) is the user's mistake, not a bug: exit 2 naming the flag. Only
 * errors about the options themselves are turned; any other zod error stays a bug.
 */
export async function asOptionError(error: unknown, raw: Record<string, unknown>, cmd: Command): Promise<unknown> {
  // A use case refuses its options with an InputError in a script's words (src/app/options.ts);
  // zod's refusal is its cause, and the CLI words that by flag instead.
  const cause = (error as { cause?: unknown } | null)?.cause;
  const e = isZodLike(error) ? error : isZodLike(cause) ? cause : undefined;
  if (!e) return error;
  const issues = e.issues.filter((i) => typeof i.path[0] === 'string' && i.path[0] in raw);
  if (!issues.length || issues.length !== e.issues.length) return error;
  const flag = (key: string) => cmd.options.find((o) => o.attributeName() === key)?.long ?? `<${key}>`;
  const [{ InputError }, { mustBe }] = await Promise.all([import('./core/errors.js'), import('./app/options.js')]);
  // In the words a script's options get (app/options.ts): `must be at least 1`; a word of a
  // variadic flag (`--action a b`) is named, since the flag holds several.
  const lines = issues.map((i) => {
    const word = wordOf(raw, i.path);
    return `${flag(String(i.path[0]))}${word === undefined ? '' : ` ${JSON.stringify(word)}`}: ${mustBe(i as Parameters<typeof mustBe>[0])}`;
  });
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  const help = `see \`promptctl ${names.join(' ')} --help\`.`;
  return new InputError({ message: `invalid ${lines.join('; ')}`, hint: swallowedArgument(issues, raw, cmd, flag, names) ?? help });
}

/** The word of a variadic flag an issue is about (`path` [key, index]), if it is one. */
function wordOf(raw: Record<string, unknown>, path: readonly PropertyKey[]): string | undefined {
  const values = raw[String(path[0])];
  const word = typeof path[1] === 'number' && Array.isArray(values) ? values[path[1]] : undefined;
  return typeof word === 'string' ? word : undefined;
}

/**
 * A variadic flag takes every word after it, so `history --action rollback support-answer` reads
 * the prompt id as an action: where a refused word follows a good one and the command's argument
 * was not given, the hint says to put the argument before the flag.
 */
function swallowedArgument(issues: ZodLikeError['issues'], raw: Record<string, unknown>, cmd: Command, flag: (key: string) => string, names: readonly string[]): string | undefined {
  const argument = cmd.registeredArguments[0]?.name();
  const issue = issues.find((i) => typeof i.path[1] === 'number' && i.path[1] > 0);
  if (!argument || !issue || raw[argument] !== undefined) return undefined;
  const key = String(issue.path[0]);
  const word = wordOf(raw, issue.path);
  const values = raw[key];
  if (word === undefined || !Array.isArray(values)) return undefined;
  const kept = values.filter((_, k) => k !== issue.path[1]).join(' ');
  return `${flag(key)} takes every word after it, so ${JSON.stringify(word)} was read as one; if it is the <${argument}>, put it before the flag: promptctl ${names.join(' ')} ${word} ${flag(key)} ${kept}`;
}

function isZodLike(e: unknown): e is ZodLikeError {
  const z = e as Partial<ZodLikeError> | null | undefined;
  return Boolean(z && z.name === 'ZodError' && Array.isArray(z.issues));
}
