import type { CommandContext, CommandResult } from './commands/context.js';

/** How a command module is loaded: lazily, inside its action. */
export type Loader = () => Promise<{ run: (ctx: CommandContext, raw: unknown) => Promise<CommandResult> }>;

/**
 * Makes a commander action: `toRaw` turns commander's arguments into the command's raw options,
 * then runCli builds the context, loads the module, runs it and prints its result.
 */
export type CommandAction = (load: Loader, toRaw: (...args: any[]) => Record<string, unknown>) => (...args: any[]) => Promise<void>;
