import { z } from 'zod';
import { parseRegisteredContent } from '../core/registered-content.js';
import { activeDeployment } from '../infra/deployments.js';
import { listPromptFolders, loadProjectConfig } from '../infra/project.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import { shownEventWarnings } from '../infra/registry/shown-events.js';
import { modelOf } from '../infra/eval/suite-target.js';
import { testedMarkThatCounts } from '../infra/signing.js';
import { appContext, type AppOptions } from './context.js';
import { requireEnv } from './require.js';

/** `status`: every prompt × environment: the active version, whether it is tested, when and by whom. */

export const StatusOptions = z.object({
  /** One environment; every configured one by default. */
  environment: z.string().optional(),
});
export type StatusOptions = z.input<typeof StatusOptions>;

export interface StatusRow {
  promptId: string;
  env: string;
  version: string | null;
  tested: boolean;
  deployedAt: string | null;
  deployedBy: string | null;
  action: string | null;
}

export interface StatusResult {
  rows: StatusRow[];
  /** Events shown that do not verify against the chain around them. */
  warnings: string[];
}

export async function status(opts: StatusOptions & AppOptions): Promise<StatusResult> {
  const o = StatusOptions.parse(opts);
  const c = appContext(opts);
  const project = loadProjectConfig(c.cwd);
  if (o.environment) requireEnv(project, o.environment);
  const envs = project.config.environments.map((e) => e.name).filter((e) => !o.environment || e === o.environment);
  const registry = openProjectRegistry(project, { readonly: true, mustExist: true, env: c.env });
  try {
    const ids = [...new Set([...listPromptFolders(project.root), ...(await registry.listPromptIds())])].sort();
    const rows: StatusRow[] = [];
    const shown = [];
    for (const id of ids) {
      for (const env of envs) {
        const last = await activeDeployment(registry, id, env);
        if (last) shown.push(last);
        const active = last?.version ?? null;
        let tested = false;
        if (active) {
          const record = await registry.getVersion(id, active);
          // The registered content says which model the version runs on; no prompt file is read.
          const own = record ? (parseRegisteredContent<{ model?: { model?: string } }>(record).model ?? {}) : {};
          const model = modelOf(project.config, own);
          tested = Boolean(record && (await testedMarkThatCounts(registry, project.config.signing, id, active, record.contentHash, model)));
        }
        rows.push({ promptId: id, env, version: active, tested, deployedAt: last?.at ?? null, deployedBy: last?.actor ?? null, action: last?.action ?? null });
      }
    }
    return { rows, warnings: await shownEventWarnings(registry, shown, project.config.signing) };
  } finally {
    await registry.close();
  }
}
