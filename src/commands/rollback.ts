import semver from 'semver';
import { z } from 'zod';
import { GateError, InputError } from '../core/errors.js';
import { planRollback, formatStack, replayDeployments } from '../core/rollback.js';
import { parsePromptRef } from '../core/refs.js';
import { loadProject } from '../infra/project.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import type { AuditEvent, Registry } from '../infra/registry/types.js';
import { checkJson, checkLine, checkMessage } from '../render/gate-text.js';
import { ACCOUNTABILITY_NOTE, accountableActor, dryRunAccountability } from './accountability.js';
import type { CommandContext, CommandResult } from './context.js';
import { requireEnv, requirePrompt } from './deploy.js';

/**
 * `promptctl rollback <id> --env <env> [--to <version>]`: back to the version active before the
 * current one; consecutive rollbacks walk further back (a stack), never back and forth.
 *
 * An edited working-tree file of the target version does not block a rollback: what gets served is
 * the content registered (and tested) for that version, which the registry keeps. Rollback is the
 * emergency path and must take seconds, so it warns about the edited file instead of refusing.
 */

export const RollbackOptions = z.object({
  id: z.string(),
  env: z.string(),
  to: z.string().optional(),
  reason: z.string().optional(),
  actor: z.string().optional(),
  dryRun: z.boolean().default(false),
});

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const opts = RollbackOptions.parse(raw);
  const { id } = parsePromptRef(opts.id);
  if (opts.to !== undefined && !semver.valid(opts.to)) throw new InputError({ message: `--to "${opts.to}" is not a semantic version` });
  const project = loadProject(ctx.cwd, { promptIds: [id] });
  const envConfig = requireEnv(project, opts.env);
  const who = { actor: opts.actor, reason: opts.reason, verb: 'rolling back' };
  const actor = accountableActor(ctx, envConfig, { ...who, dryRun: opts.dryRun });
  // The real rollback stops on these first (exit 2): a dry run lists them and exits 2 too.
  const unmet = opts.dryRun ? dryRunAccountability(ctx, envConfig, who) : [];
  const registry = openProjectRegistry(project, { readonly: opts.dryRun });
  try {
    await requirePrompt(project, registry, id);
    if (opts.to !== undefined && !project.prompts.some((p) => p.id === id && p.version === opts.to) && !(await registry.getVersion(id, opts.to))) {
      throw new InputError({ message: `prompt version ${id}@${opts.to} does not exist`, why: 'neither a file nor the registry knows it.', hint: `\`promptctl history ${id} --env ${opts.env}\` shows what was deployed there.` });
    }
    const attempt = async (tx: Registry) => {
      const events = await tx.listEvents({ promptId: id, env: opts.env });
      const plan = planRollback(events, opts.to);
      if (!plan.ok && unmet.length) {
        throw new InputError({ message: `rollback of ${id} in ${opts.env} refused`, why: [...unmet.map(checkMessage), plan.reason].join('; '), hint: 'meet the policy above first' });
      }
      if (!plan.ok) {
        throw new GateError({
          message: `cannot roll back ${id} in ${opts.env}`,
          reasons: [plan.reason],
          hint: `\`promptctl history ${id} --env ${opts.env}\` shows what was deployed there.`,
        });
      }
      const event: AuditEvent | undefined = opts.dryRun
        ? undefined
        : await tx.appendEvent({ env: opts.env, promptId: id, version: plan.to, previousVersion: plan.from, action: 'rollback', actor, reason: opts.reason?.trim() || null });
      const stack = replayDeployments(opts.dryRun ? events : [...events, { action: 'rollback', version: plan.to }]).stack;
      return { plan, event, stack };
    };
    const { plan, event, stack } = await (opts.dryRun ? attempt(registry) : registry.transaction(attempt));
    const file = project.prompts.find((p) => p.id === id && p.version === plan.to);
    const registered = await registry.getVersion(id, plan.to);
    const warning =
      file && registered && file.hash !== registered.contentHash
        ? `warning: ${file.file} was edited after ${plan.to} was registered; the registered content is what runs. Restore it with git and put the change in a new version.`
        : undefined;
    const data = { promptId: id, env: opts.env, from: plan.from, to: plan.to, dryRun: opts.dryRun, allowed: unmet.length === 0, checks: unmet.map(checkJson), event, remaining: stack, warning };
    return {
      data,
      exitCode: unmet.length ? 2 : 0,
      text: () => [
        `${opts.dryRun ? (unmet.length ? 'dry run: would refuse to roll back' : 'dry run: would roll back') : 'rolled back'} ${id} in ${opts.env}: ${plan.from} -> ${plan.to}${event ? ` (event #${event.seq})` : ''}`,
        ...unmet.map(checkLine),
        `  rollback stack now: ${formatStack(stack)}`,
        ...(unmet.length ? [ACCOUNTABILITY_NOTE] : []),
        ...(warning ? [warning] : []),
      ],
    };
  } finally {
    await registry.close();
  }
}
