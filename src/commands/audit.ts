import { z } from 'zod';
import { escapeControlChars } from '../core/control-chars.js';
import { GateError } from '../core/errors.js';
import { loadProjectConfig } from '../infra/project.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import type { CommandContext, CommandResult } from './context.js';

/** `promptctl audit verify`: recomputes the hash chain of the audit log; a break is exit 1. */

export const AuditOptions = z.object({});

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult> {
  AuditOptions.parse(raw);
  const project = loadProjectConfig(ctx.cwd);
  const registry = openProjectRegistry(project, { readonly: true });
  try {
    const verdict = await registry.verifyChain();
    if (!verdict.ok) {
      const { seq, problem } = verdict.broken!;
      // The chain's problem text may start with the event number already: say it once.
      const detail = escapeControlChars(problem.replace(new RegExp(`^event ${seq}: `), ''));
      throw new GateError({
        message: `the audit log does not verify at event #${seq}: ${detail}`,
        reasons: [`${verdict.events} events checked; the first break is at #${verdict.broken!.seq}`],
        why: 'every event carries the hash of the one before it; an edited, deleted or inserted row breaks the chain.',
        hint: 'restore the registry from a backup and find out who changed it; deploys and rollbacks never edit past events.',
      });
    }
    return { data: verdict, text: () => [`audit log verified: ${verdict.events} event${verdict.events === 1 ? '' : 's'}, hash chain intact`] };
  } finally {
    await registry.close();
  }
}
