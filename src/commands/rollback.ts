import { rollback } from '../app/rollback.js';
import { GateError, InputError } from '../core/errors.js';
import { rollbackAlreadyJson, rollbackAlreadyText, rollbackJson, rollbackPolicyRefusal, rollbackRefusal, rollbackRefusedJson, rollbackText } from '../render/rollback-text.js';
import { confirmLastEnvironment } from './confirm.js';
import { refused } from './refused.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl rollback <id> --env <env> [--to <version>]`: back to the version active before the current one. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const { env, yes, ...flags } = raw as { id: string; env: string; dryRun?: boolean; yes?: boolean; ifActive?: string };
  const rollBack = (dryRun?: boolean, bind = {}) => rollback({ ...flags, environment: env, ...appOptions(ctx), interactive: ctx.interactive, dryRun, ...bind });
  const bind = await confirmLastEnvironment(ctx, { environment: env, dryRun: flags.dryRun, yes, what: `rollback ${flags.id} in ${env}` }, async () => {
    const p = await rollBack(true);
    return p.plan.ok && p.allowed ? { allowed: true, lines: rollbackText({ ...p, plan: p.plan }), bind: { ifActive: p.plan.from, ifActiveEvent: p.activeEvent } } : { allowed: false, lines: [] };
  });
  const r = await rollBack(flags.dryRun, bind);
  const { plan } = r;
  if (!plan.ok && plan.alreadyActive && r.exitCode === 0) {
    return { data: rollbackAlreadyJson({ ...r, plan }), exitCode: 0, text: () => [rollbackAlreadyText({ ...r, plan })] };
  }
  if (!plan.ok) {
    // Nowhere to go: a refusal (exit 1), or with an unmet policy in a dry run, bad usage (exit 2).
    return refused(ctx, rollbackRefusedJson({ ...r, plan }), r.checks.length ? new InputError(rollbackPolicyRefusal({ ...r, plan })) : new GateError(rollbackRefusal({ ...r, plan })));
  }
  const planned = { ...r, plan };
  return { data: rollbackJson(planned), exitCode: r.exitCode, text: () => rollbackText(planned) };
}
