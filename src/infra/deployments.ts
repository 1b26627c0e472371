import { InternalError } from '../core/errors.js';
import type { AuditEvent, EventKey, Registry } from './registry/types.js';

/**
 * What runs in an environment: the version named by its newest audit event. Every deploy,
 * override and rollback event names the version it leaves active, so the newest event answers
 * without replaying the log (core/deployment-stack.ts replays the whole log to the same answer, and needs
 * it only to plan where a rollback goes). One indexed row, however long the history.
 */
export async function activeDeployment(registry: Registry, promptId: string, env: string): Promise<AuditEvent | undefined> {
  // Without an environment the filter would match the prompt's newest event anywhere (a draft's mark included).
  if (typeof env !== 'string') throw new InternalError({ message: `the active version of ${promptId} was asked without an environment` });
  return (await registry.listEvents({ promptId, env, limit: 1 }))[0];
}

/** The same for many (prompt, env) pairs at once, in the order asked (`status`: one read on a server). */
export function activeDeployments(registry: Registry, keys: readonly EventKey[]): Promise<Array<AuditEvent | undefined>> {
  return registry.latestEvents(keys);
}

export async function activeVersion(registry: Registry, promptId: string, env: string): Promise<string | null> {
  return (await activeDeployment(registry, promptId, env))?.version ?? null;
}
