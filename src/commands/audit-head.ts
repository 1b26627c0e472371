import { auditHead } from '../app/audit.js';
import { formatAnchor } from '../core/audit-chain.js';
import { auditHeadText } from '../render/audit-text.js';
import { appOptions, type CommandContext, type CommandResult } from './context.js';

/** `promptctl audit head`: the current head of the audit log, to anchor outside the registry. */

export async function run(ctx: CommandContext, _raw: unknown): Promise<CommandResult> {
  const head = await auditHead(appOptions(ctx));
  return {
    data: { ...head, anchor: formatAnchor(head) },
    // stdout is the anchor alone, so `H=$(promptctl audit head)` captures it; the advice goes to stderr.
    text: () => {
      const [anchor, ...advice] = auditHeadText(head);
      for (const line of advice) ctx.out.error(line);
      return [anchor!];
    },
  };
}
