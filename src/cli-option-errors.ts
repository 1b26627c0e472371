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
  // In the words a script's options get (app/options.ts): `must be at least 1`.
  const lines = issues.map((i) => `${flag(String(i.path[0]))}: ${mustBe(i as Parameters<typeof mustBe>[0])}`);
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return new InputError({ message: `invalid ${lines.join('; ')}`, hint: `see \`promptctl ${names.join(' ')} --help\`.` });
}

function isZodLike(e: unknown): e is ZodLikeError {
  const z = e as Partial<ZodLikeError> | null | undefined;
  return Boolean(z && z.name === 'ZodError' && Array.isArray(z.issues));
}
