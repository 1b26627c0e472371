import type { AppOptions } from '../app/context.js';
import type { Clock } from '../infra/clock.js';
import type { Output } from '../render/output.js';

export type { Output } from '../render/output.js';

/**
 * What every command receives. `cwd` and `env` are passed in, never read from globals deep inside,
 * so commands run the same under tests, the CLI and the library API.
 */

export interface CommandContext {
  cwd: string;
  /** The folder the command was started in (`cwd` differs under `-C`): where a printed `cd` starts from. */
  startedIn?: string;
  env: Record<string, string | undefined>;
  out: Output;
  /** Time for everything recorded and measured (one Clock everywhere, injected). */
  clock: Clock;
  /** A person at a terminal (stdin and stdout are terminals, not CI). */
  interactive: boolean;
  /**
   * Asks the person at the terminal a yes/no question (only when `interactive`); absent, nothing is
   * asked. `shown`: what the question confirms, already said on stderr; shown again with the
   * question when it is asked elsewhere (stderr redirected to a file: bin/confirm-terminal.ts).
   */
  confirm?: (question: string, shown?: string[]) => Promise<boolean>;
  /** Aborted on Ctrl-C: long commands stop dispatching and keep what they have. */
  signal?: AbortSignal;
}

/** A command's answer: what to print, and the exit code the entry point should set (default 0). */
export interface CommandResult<T = unknown> {
  data: T;
  exitCode?: number;
  /** Text lines for humans; JSON mode prints `data` instead. */
  text: () => string[];
  /**
   * Lines for stderr printed after the result, text or JSON: the error of a run that stopped, so the
   * last thing on a terminal says what happened, not the report's closing line.
   */
  after?: () => string[];
}

/** What a use case needs from the command's context (src/app/context.ts); its errors name the flags the user typed. */
export function appOptions(ctx: CommandContext): Required<Omit<AppOptions, 'signal'>> & Pick<AppOptions, 'signal'> {
  return { cwd: ctx.cwd, env: ctx.env, clock: ctx.clock, signal: ctx.signal, optionNames: 'flags' };
}
