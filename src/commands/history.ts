import { z } from 'zod';
import { escapeControlChars } from '../core/control-chars.js';
import { parsePromptRef } from '../core/refs.js';
import { listPromptFolders, loadProjectConfig } from '../infra/project.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import type { CommandContext, CommandResult } from './context.js';
import { requireEnv, requireKnownPrompt } from './deploy.js';

/** `promptctl history [<id>] [--env] [--limit n]`: the audit trail, newest last. */

export const HistoryOptions = z.object({ id: z.string().optional(), env: z.string().optional(), limit: z.coerce.number().int().min(1).optional() });

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const opts = HistoryOptions.parse(raw);
  const promptId = opts.id ? parsePromptRef(opts.id).id : undefined;
  const project = loadProjectConfig(ctx.cwd);
  if (opts.env) requireEnv(project, opts.env);
  const registry = openProjectRegistry(project, { readonly: true });
  try {
    // An unknown id is a typo (exit 2), not an empty history that reads as if nothing was deployed.
    if (promptId) await requireKnownPrompt(listPromptFolders(project.root), registry, promptId);
    const events = await registry.listEvents({ promptId, env: opts.env, limit: opts.limit });
    return {
      data: { events },
      text: () =>
        events.length
          ? events.map(
              // One event per line, whatever older rows hold: control characters are shown escaped.
              (e) =>
                escapeControlChars(`#${e.seq} ${e.at} ${e.action.padEnd(8)} ${e.promptId}@${e.version} in ${e.env} (from ${e.previousVersion ?? 'nothing'}) by ${e.actor}${e.reason ? `: ${e.reason}` : ''}`),
            )
          : [`no deploys or rollbacks${promptId ? ` of ${promptId}` : ''}${opts.env ? ` in ${opts.env}` : ''} recorded yet`],
    };
  } finally {
    await registry.close();
  }
}
