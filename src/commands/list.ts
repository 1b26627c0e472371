import { list, ListOptions, type ProjectListing } from '../app/list.js';
import { listText } from '../render/list-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl list`: every prompt with its versions and suites; exit 2 when files are left out. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<ProjectListing>> {
  ListOptions.parse(raw);
  const result = await list({ ...appOptions(ctx) });
  return { data: result.listing, exitCode: result.exitCode, text: () => listText(result) };
}
