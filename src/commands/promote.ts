import { z } from 'zod';
import { GateError, InputError } from '../core/errors.js';
import { parsePromptRef } from '../core/refs.js';
import { activeVersion } from '../infra/deployments.js';
import { loadProject } from '../infra/project.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import type { CommandContext, CommandResult } from './context.js';
import { deployJson, deployText, deployVersion, outcomeExitCode, refusal, requireEnv, requirePrompt } from './deploy.js';

/** `promptctl promote <id> --from staging --to production`: deploys what runs in one env to the next, through the same gates. */

export const PromoteOptions = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  reason: z.string().optional(),
  actor: z.string().optional(),
  dryRun: z.boolean().default(false),
});

/**
 * Promoting against the order of environments (production to staging) is allowed, since resyncing
 * an earlier environment with what runs later is legitimate, but never silent: it is usually a
 * swapped --from/--to, so the output says so.
 */
export function backwardsWarning(envOrder: string[], from: string, to: string): string | undefined {
  if (envOrder.indexOf(to) > envOrder.indexOf(from)) return undefined;
  return `warning: promoting backwards: ${to} comes before ${from} in the order of environments (${envOrder.join(' -> ')}); check that --from and --to are not swapped`;
}

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<ReturnType<typeof deployJson> & { warning?: string }>> {
  const opts = PromoteOptions.parse(raw);
  const { id } = parsePromptRef(opts.id);
  const project = loadProject(ctx.cwd, { promptIds: [id] });
  requireEnv(project, opts.from);
  requireEnv(project, opts.to);
  if (opts.from === opts.to) {
    throw new InputError({ message: `--from and --to are both ${opts.from}`, why: 'promote deploys what runs in one environment to another one.', hint: `to redeploy in ${opts.to}, use \`promptctl deploy ${id}@<version> --env ${opts.to}\`` });
  }
  const warning = backwardsWarning(project.config.environments.map((e) => e.name), opts.from, opts.to);
  const registry = openProjectRegistry(project, { readonly: true });
  let active: string | null;
  try {
    await requirePrompt(project, registry, id);
    active = await activeVersion(registry, id, opts.from);
  } finally {
    await registry.close();
  }
  if (!active) {
    throw new GateError({ message: `nothing to promote: ${id} has no active version in ${opts.from}`, hint: `deploy one first: promptctl deploy ${id}@<version> --env ${opts.from}` });
  }
  const outcome = await deployVersion(ctx, project, { ref: `${id}@${active}`, env: opts.to, reason: opts.reason, actor: opts.actor, dryRun: opts.dryRun, force: false });
  if (!outcome.allowed && !opts.dryRun) {
    // promote has no --force: an override is a deliberate `deploy --force`, named as such.
    const refused = refusal(outcome, `run \`promptctl deploy ${id}@${active} --env ${opts.to} --force --reason\``);
    if (!warning) throw refused;
    // A refused backwards promote says it was backwards too: that is often the real mistake.
    throw new GateError({ message: refused.message, reasons: refused.reasons, why: [warning.replace(/^warning: /, ''), refused.why].filter(Boolean).join('; '), hint: refused.hint });
  }
  return {
    data: warning ? { ...deployJson(outcome), warning } : deployJson(outcome),
    exitCode: outcomeExitCode(outcome),
    text: () => [...(warning ? [warning] : []), `promote ${id}: ${opts.from} runs ${active}`, ...deployText(outcome)],
  };
}
