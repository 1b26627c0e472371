import type { Command } from 'commander';

/**
 * A single-value option given twice with different values is a usage error (exit 2), instead of
 * the last one silently winning: `deploy … --env staging … --env production` (a line added to a CI
 * script, an alias that already passes one) would otherwise change production. The same value
 * twice changes nothing and passes. Options that take many values (`--suite <name...>`) and flags
 * are not counted.
 */
export function refuseRepeatedOptions(program: Command): void {
  const given = new Map<Command, Map<string, string[]>>();
  const watch = (cmd: Command) => {
    for (const option of cmd.options) {
      if (option.variadic || !(option.required || option.optional)) continue;
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
