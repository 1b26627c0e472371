import { z } from 'zod';
import { escapeControlChars } from '../core/control-chars.js';
import { effectiveParams } from '../core/eval/plan.js';
import { activeDeployment } from '../infra/deployments.js';
import { listPromptFolders, loadProjectConfig } from '../infra/project.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import type { CommandContext, CommandResult } from './context.js';
import { requireEnv } from './deploy.js';

/** `promptctl status [--env]`: every prompt × environment: version, tested, when and by whom. */

export const StatusOptions = z.object({ env: z.string().optional() });

export interface StatusRow {
  promptId: string;
  env: string;
  version: string | null;
  tested: boolean;
  deployedAt: string | null;
  deployedBy: string | null;
  action: string | null;
}

export async function run(ctx: CommandContext, raw: unknown): Promise<CommandResult<{ rows: StatusRow[] }>> {
  const opts = StatusOptions.parse(raw);
  const project = loadProjectConfig(ctx.cwd);
  if (opts.env) requireEnv(project, opts.env);
  const envs = project.config.environments.map((e) => e.name).filter((e) => !opts.env || e === opts.env);
  const registry = openProjectRegistry(project, { readonly: true });
  try {
    const ids = [...new Set([...listPromptFolders(project.root), ...(await registry.listPromptIds())])].sort();
    const rows: StatusRow[] = [];
    for (const id of ids) {
      for (const env of envs) {
        const last = await activeDeployment(registry, id, env);
        const active = last?.version ?? null;
        let tested = false;
        if (active) {
          const record = await registry.getVersion(id, active);
          // The registered content says which model the version runs on; no prompt file is read.
          const own = record ? ((JSON.parse(record.content) as { model?: { model?: string } }).model ?? {}) : {};
          const model = effectiveParams(project.config.server.model, project.config.defaults, own).model;
          tested = Boolean(record && (await registry.getTestedMark(id, active, record.contentHash, model)));
        }
        rows.push({ promptId: id, env, version: active, tested, deployedAt: last?.at ?? null, deployedBy: last?.actor ?? null, action: last?.action ?? null });
      }
    }
    return {
      data: { rows },
      text: () => {
        const w = Math.max(6, ...rows.map((r) => r.promptId.length));
        return [
          `${'PROMPT'.padEnd(w)}  ${'ENV'.padEnd(12)}  ${'VERSION'.padEnd(10)}  ${'TESTED'.padEnd(6)}  SINCE / BY`,
          // Registry values may predate the control-character check: shown escaped, one row per line.
          ...rows.map(
            (r) =>
              escapeControlChars(`${r.promptId.padEnd(w)}  ${r.env.padEnd(12)}  ${(r.version ?? '-').padEnd(10)}  ${(r.version ? (r.tested ? 'yes' : 'NO') : '-').padEnd(6)}  ${r.deployedAt ? `${r.deployedAt} by ${r.deployedBy}${r.action === 'deploy' ? '' : ` (${r.action})`}` : 'never deployed'}`),
          ),
        ];
      },
    };
  } finally {
    await registry.close();
  }
}
