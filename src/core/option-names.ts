/**
 * How a use case's errors name the options its caller used: a script passed an options object and
 * reads `reason`; the command line passed flags and reads `--reason`. One rule for every message
 * about an option: the use cases word them through these functions with the naming their caller
 * chose (`AppOptions.optionNames`: `keys` by default, the CLI passes `flags`, src/commands/context.ts).
 * Option errors zod finds are worded by `parseOptions` (keys) and, on the command line, by
 * src/cli-option-errors.ts from commander's own flags.
 */
export type OptionNames = 'keys' | 'flags';

/** The use-case keys whose flag is not the key in kebab case (`deploy --env` fills `environment`). */
const FLAG_OF: Readonly<Record<string, string>> = { environment: '--env' };

/** An option as its caller wrote it: `reason` in a script, `--reason` on the command line; `dryRun`, `--dry-run`. */
export function optionName(names: OptionNames, key: string): string {
  if (names === 'keys') return key;
  return Object.hasOwn(FLAG_OF, key) ? FLAG_OF[key]! : `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/**
 * An option with a value, as its caller writes it: `reason: "why"` or `suite: ["a","b"]` in a
 * script (the value as JSON), `--reason "why"` or `--suite a, b` on the command line, where `typed`
 * is the value as the command line shows it (quoted or not; by default the value itself, a list's
 * values joined by commas). A number is a number in both: `sample: 50`, `--sample 50`.
 */
export function optionWithValue(names: OptionNames, key: string, value: string | number | readonly string[], typed = typeof value === 'object' ? value.join(', ') : String(value)): string {
  return names === 'keys' ? `${key}: ${JSON.stringify(value)}` : `${optionName(names, key)} ${typed}`;
}

/** A yes-or-no option set, as its caller writes it: `merge: true` in a script, `--merge` on the command line (`--no-eval` for `eval: false`). */
export function optionSet(names: OptionNames, key: string, value = true): string {
  if (names === 'keys') return `${key}: ${value}`;
  return value ? optionName(names, key) : optionName(names, key).replace(/^--/, '--no-');
}
