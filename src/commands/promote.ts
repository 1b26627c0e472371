import { promote } from '../app/promote.js';
import { GateError } from '../core/errors.js';
import { changesNothing, nothingToPromote, promoteJson, promoteRefusal, promoteText } from '../render/deploy-text.js';
import { confirmLastEnvironment } from './confirm.js';
import { NOTHING_ACTIVE } from '../app/if-active.js';
import { refused } from './refused.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl promote <id> --from staging --to production`: deploys what runs in one env to the next, through the same gates. */

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<ReturnType<typeof promoteJson> & { exitCode?: number }>> {
  const { yes, ...flags } = raw as { id: string; from: string; to: string; dryRun?: boolean; yes?: boolean; ifActive?: string };
  const promoteTo = (dryRun?: boolean, bind = {}) => promote({ ...flags, ...appOptions(ctx), interactive: ctx.interactive, dryRun, ...bind });
  const bind = await confirmLastEnvironment(ctx, { environment: flags.to, dryRun: flags.dryRun, yes, what: `promote ${flags.id} from ${flags.from} to ${flags.to}` }, async () => {
    const p = await promoteTo(true);
    if (!p.outcome || !p.active) return { allowed: false, lines: [] };
    return { allowed: p.outcome.allowed, unchanged: changesNothing(p.outcome), lines: promoteText({ ...p, outcome: p.outcome, active: p.active }), bind: { promoting: p.active, ifActive: p.outcome.previousVersion ?? NOTHING_ACTIVE, ifActiveEvent: p.outcome.activeEvent } };
  });
  const r = await promoteTo(flags.dryRun, bind);
  if (!r.outcome || !r.active) throw new GateError(nothingToPromote(r));
  const promoted = { ...r, outcome: r.outcome, active: r.active };
  if (!r.outcome.allowed && !r.outcome.dryRun) return refused(ctx, promoteJson(promoted), new GateError({ ...promoteRefusal(promoted), exitCode: r.exitCode === 2 ? 2 : 1 }));
  // A dry run ends with the real promote's code: said in its JSON too (deploy.ts).
  return { data: r.outcome.dryRun ? { ...promoteJson(promoted), exitCode: r.exitCode } : promoteJson(promoted), exitCode: r.exitCode, text: () => promoteText(promoted) };
}
