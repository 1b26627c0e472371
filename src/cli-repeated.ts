import { Option, type Command } from 'commander';

/**
 * An option given once per value (`--var a=1 --var b=2`), collected in order. Not variadic: a
 * variadic option takes every word after it, so `render --var question=hi support-answer@1.1.0`
 * lost the version to it ("missing required argument 'ref'"). Each use is one value, and the
 * values are a list, so giving it twice is no repeated option (`refuseRepeatedOptions`).
 */
export function repeatableOption(flags: string, description: string): Option {
  return new Option(flags, description).argParser(collect);
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Whether an option takes several values: variadic, or a `repeatableOption`. */
function collects(option: Option): boolean {
  return option.variadic || option.parseArg === collect;
}

/**
 * A single-value option given twice with different values is a usage error (exit 2), instead of
 * the last one silently winning: `deploy … --env staging … --env production` (a line added to a CI
 * script, an alias that already passes one) would otherwise change production. The same value
 * twice changes nothing and passes. Options that take many values (`--suite <name...>`,
 * `repeatableOption`'s) and flags are not counted.
 */
export function refuseRepeatedOptions(program: Command): void {
  const given = new Map<Command, Map<string, string[]>>();
  const watch = (cmd: Command) => {
    for (const option of cmd.options) {
      if (collects(option) || !(option.required || option.optional)) continue;
      cmd.on(`option:${option.name()}`, (value: unknown) => {
        const values = given.get(cmd) ?? new Map<string, string[]>();
        given.set(cmd, values);
        values.set(option.flags, [...(values.get(option.flags) ?? []), String(value ?? '')]);
      });
    }
    for (const sub of cmd.commands) watch(sub);
  };
  watch(program);
  program.hook('preAction', (_program, actionCommand) => {
    for (let cmd: Command | null = actionCommand; cmd; cmd = cmd.parent) {
      for (const [flags, values] of given.get(cmd) ?? []) {
        const distinct = [...new Set(values)];
        if (distinct.length > 1) {
          actionCommand.error(`error: option '${flags}' given ${values.length} times with different values (${distinct.map((v) => JSON.stringify(v)).join(', ')}): give it once`, {
            exitCode: 2,
            code: 'promptctl.repeatedOption',
          });
        }
      }
    }
  });
}
