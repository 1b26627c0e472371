import { deploy } from '../app/deploy.js';
import { GateError } from '../core/errors.js';
import { changesNothing, deployJson, deployRefusal, deployText } from '../render/deploy-text.js';
import { confirmLastEnvironment } from './confirm.js';
import { NOTHING_ACTIVE } from '../app/if-active.js';
import { refused } from './refused.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl deploy <id>@<version> --env <env>`: a gated deploy, recorded in the audit log. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<ReturnType<typeof deployJson> & { exitCode?: number }>> {
  const { env, yes, ...flags } = raw as { ref: string; env: string; dryRun?: boolean; yes?: boolean; ifActive?: string };
  const deployTo = (dryRun?: boolean, bind = {}) => deploy({ ...flags, environment: env, ...appOptions(ctx), interactive: ctx.interactive, dryRun, ...bind });
  const bind = await confirmLastEnvironment(ctx, { environment: env, dryRun: flags.dryRun, yes, what: `deploy ${flags.ref} to ${env}` }, async () => {
    const o = await deployTo(true);
    return { allowed: o.allowed, unchanged: changesNothing(o), lines: deployText(o), bind: { ifActive: o.previousVersion ?? NOTHING_ACTIVE, ifActiveEvent: o.activeEvent } };
  });
  const outcome = await deployTo(flags.dryRun, bind);
  // The CLI says a refused deploy as an error (exit 1, 2 for an edited file); a dry run prints its verdict and exits with its code.
  if (!outcome.allowed && !outcome.dryRun) return refused(ctx, deployJson(outcome), new GateError({ ...deployRefusal(outcome), exitCode: outcome.exitCode === 2 ? 2 : 1 }));
  // A dry run ends with the real deploy's code (1 refused, 2 bad usage): said in its JSON too, as a refusal's error object says it.
  return { data: outcome.dryRun ? { ...deployJson(outcome), exitCode: outcome.exitCode } : deployJson(outcome), exitCode: outcome.exitCode, text: () => deployText(outcome) };
}
