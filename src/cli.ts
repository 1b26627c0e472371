import path from 'node:path';
import { Argument, Command, CommanderError, Option } from 'commander';
import type { CommandContext, Output } from './commands/context.js';
import type { CommandAction } from './cli-action.js';
import { defineAuthoringCommands } from './cli-authoring.js';
import { defineEvaluationCommands } from './cli-evaluation.js';
import { EXAMPLES, examplesText } from './cli-examples.js';
import { asOptionError } from './cli-option-errors.js';
import { defineReleaseCommands } from './cli-release.js';
import { refuseRepeatedOptions } from './cli-repeated.js';
import { systemClock } from './infra/clock.js';
import { runsInCi } from './core/ci-env.js';
import { terminalChoice } from './render/terminal.js';

/**
 * Commander wiring only: the commands are defined in cli-authoring.ts, cli-evaluation.ts and
 * cli-release.ts, in the order --help lists them. Every command module is imported lazily inside
 * its action, so `promptctl --help` and `--version` load none of zod, yaml, ink, react, openai or
 * better-sqlite3.
 */

export interface CliIo {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdoutIsTTY: boolean;
  /** The terminal's size when stdout is one (process.stdout.columns and rows; 0 on a pty without a size). */
  stdoutColumns?: number;
  stdoutRows?: number;
  stdinIsTTY?: boolean;
  version: string;
  signal?: AbortSignal;
  /** Asks a yes/no question at the terminal (the binary reads stdin); absent, nothing is ever asked. */
  confirm?: (question: string, shown?: string[]) => Promise<boolean>;
}

export interface CliOutcome {
  exitCode: number;
  /** The error to report, if the command threw. */
  error?: unknown;
  json: boolean;
  /** Where the command ran (`--cwd`), when it threw: the bug printer stars the secrets its project's config names. */
  cwd?: string;
}

/**
 * The commands and flags (long, and short where there is one) commander knows, for completion
 * scripts (one source: the definitions above). The program's options (`-C`, `--no-color`, `-V`) are
 * taken after any command too, so every command lists them, as its `--help` does.
 */
function commandTree(cmd: Command, globals: readonly Option[] = []): { name: string; description: string; flags: Array<{ flag: string; short?: string; description: string; value?: true }>; choices?: string[]; commands: ReturnType<typeof commandTree>[] } {
  const flags = [...cmd.options, ...globals]
    .filter((o) => o.long && !o.hidden)
    .map((o) => ({ flag: o.long!, ...(o.short ? { short: o.short } : {}), description: o.description, ...(o.required || o.optional ? { value: true as const } : {}) }));
  const choices = cmd.registeredArguments.flatMap((a) => a.argChoices ?? []);
  const below = cmd.parent ? globals : cmd.options;
  return { name: cmd.name(), description: cmd.description(), flags: [...flags, { flag: '--help', short: '-h', description: 'display help' }], ...(choices.length ? { choices } : {}), commands: cmd.commands.map((c) => commandTree(c, below)) };
}

/** Every command's `--help` ends with its examples (src/cli-examples.ts). */
function addExamples(cmd: Command, path = ''): void {
  const lines = EXAMPLES[path];
  if (lines) cmd.addHelpText('after', examplesText(lines));
  for (const sub of cmd.commands) addExamples(sub, path ? `${path} ${sub.name()}` : sub.name());
}

export async function runCli(io: CliIo): Promise<CliOutcome> {
  let outcome: CliOutcome = { exitCode: 0, json: false };
  const program = new Command('promptctl')
    .description('Prompt registry and eval runner for vLLM: versioned prompts, suites, gated deploys, an audit trail.')
    .version(io.version, '-V, --version')
    .option('-C, --cwd <dir>', 'run as if started in <dir> (the project is found upwards from there)')
    .option('--no-color', 'plain text without colours')
    .showHelpAfterError('(run with --help for usage)')
    // A command's --help also lists -C and --no-color, which every command takes.
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  const action: CommandAction = (load, toRaw) =>
    async (...args) => {
      const cmd = args[args.length - 1] as Command;
      const globals = program.opts<{ cwd?: string; color: boolean }>();
      const local = cmd.opts<{ json?: boolean }>();
      const json = Boolean(local.json);
      const terminal = terminalChoice({ isTTY: io.stdoutIsTTY, columns: io.stdoutColumns, rows: io.stdoutRows, env: io.env, colorFlag: globals.color !== false });
      const out: Output = {
        json,
        color: terminal.color,
        tty: terminal.live,
        width: terminal.width,
        line: (t) => io.stdout(`${t}\n`),
        write: (t) => io.stdout(t),
        error: (t) => io.stderr(`${t}\n`),
      };
      // -C is relative to the folder the command was started in (io.cwd), as git's -C is.
      const ctx: CommandContext = { cwd: globals.cwd ? path.resolve(io.cwd, globals.cwd) : io.cwd, startedIn: io.cwd, env: io.env, out, clock: systemClock, signal: io.signal, confirm: io.confirm, interactive: Boolean(io.stdinIsTTY && io.stdoutIsTTY && !runsInCi(io.env)) };
      const raw = toRaw(...args);
      try {
        const mod = await load();
        const result = await mod.run(ctx, raw);
        if (json) io.stdout(`${JSON.stringify(result.data, null, 2)}\n`);
        else for (const line of result.text()) out.line(line);
        for (const line of result.after?.() ?? []) out.error(line);
        outcome = { exitCode: result.exitCode ?? 0, json };
      } catch (error) {
        outcome = { exitCode: -1, error: await asOptionError(error, raw, cmd), json, cwd: ctx.cwd };
      }
    };
  const json = () => new Option('--json', 'print JSON for machines');

  defineAuthoringCommands(program, action, json);
  defineEvaluationCommands(program, action, json);
  defineReleaseCommands(program, action, json);
  program
    .command('completion')
    // The shells as commander's choices: `promptctl completion <TAB>` offers them, and a wrong one is refused by name.
    .addArgument(new Argument('<shell>').choices(['bash', 'zsh', 'fish']))
    .description('print a shell completion script: bash, zsh or fish')
    .action(action(() => import('./commands/completion.js'), (shell) => ({ shell, tree: commandTree(program) })));

  addExamples(program);
  refuseRepeatedOptions(program);

  try {
    await program.parseAsync(io.argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with code 0; usage mistakes are exit 2 (bad usage), and
      // commander has printed them on stderr.
      if (e.exitCode === 0) return { exitCode: 0, json: false };
      if (!asksForJson(io.argv)) return { exitCode: 2, json: false };
      // A script that asked for JSON reads stdout: give it the error object every other bad
      // input gets there (its text is on stderr already, so it is not printed twice).
      const { InputError } = await import('./core/errors.js');
      const error = new InputError({ message: e.message.replace(/^error: /, ''), hint: 'run with --help for usage' });
      io.stdout(`${JSON.stringify(error.toJSON(), null, 2)}\n`);
      return { exitCode: error.exitCode, json: true };
    }
    throw e;
  }
  return outcome;
}

/** Whether `--json` is among the options (before a `--`, after which arguments are operands). */
function asksForJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}
