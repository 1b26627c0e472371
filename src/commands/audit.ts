import { auditVerify } from '../app/audit.js';
import { GateError } from '../core/errors.js';
import { auditJson, auditRefusal, auditText } from '../render/registry-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl audit verify`: recomputes the hash chain of the audit log; a break is exit 1. */

export async function run(ctx: CommandContext, _raw: unknown): Promise<CommandResult> {
  const r = await auditVerify({ ...appOptions(ctx) });
  if (!r.ok) throw new GateError(auditRefusal({ ...r, broken: r.broken! }));
  return { data: auditJson(r), text: () => auditText(r) };
}
