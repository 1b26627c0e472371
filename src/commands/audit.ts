import { z } from 'zod';
import { auditVerify } from '../app/audit.js';
import { GateError } from '../core/errors.js';
import { auditJson, auditRefusal, auditText } from '../render/audit-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';
import { refused } from './refused.js';

/** `promptctl audit verify [--since <head>]`: the hash chain and what it points at; a break is exit 1. */

const Options = z.object({ since: z.string().optional() });

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  const o = Options.parse(raw);
  const r = await auditVerify({ ...appOptions(ctx), since: o.since });
  // Under --json the verdict (which event, what broke) and the error are one object, as a refused deploy's.
  if (!r.ok) return refused(ctx, auditJson(r), new GateError(auditRefusal({ ...r, broken: r.broken! })));
  for (const w of r.warnings ?? []) ctx.out.error(`warning: ${w}`);
  return { data: auditJson(r), text: () => auditText(r) };
}
