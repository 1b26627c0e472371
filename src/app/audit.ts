import { loadProjectConfig } from '../infra/project.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import type { ChainVerdict } from '../infra/registry/types.js';
import { appContext, type AppOptions } from './context.js';

/**
 * `audit verify`: recomputes the hash chain of the audit log. A break is a result (`ok: false`,
 * where it breaks, exit code 1), not an error: a script reads it like any verdict.
 */
export type AuditVerifyResult = ChainVerdict & { exitCode: number };

export async function auditVerify(opts: AppOptions): Promise<AuditVerifyResult> {
  const c = appContext(opts);
  const project = loadProjectConfig(c.cwd);
  const registry = openProjectRegistry(project, { readonly: true, env: c.env });
  try {
    const verdict = await registry.verifyChain();
    return { ...verdict, exitCode: verdict.ok ? 0 : 1 };
  } finally {
    await registry.close();
  }
}
