import { InternalError, UnavailableError } from '../core/errors.js';
import { misplacedEventProblem } from '../core/signing.js';
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
  return deploymentEvent((await registry.listEvents({ promptId, env, limit: 1 }))[0]);
}

/** The same for many (prompt, env) pairs at once, in the order asked (`status`: one read on a server). */
export async function activeDeployments(registry: Registry, keys: readonly EventKey[]): Promise<Array<AuditEvent | undefined>> {
  return (await registry.latestEvents(keys)).map(deploymentEvent);
}

/**
 * The newest event of an environment, when it is one that changes an environment. A mark written
 * under an environment (a forged row, signed with the evaluator's key alone) would otherwise read as
 * what the environment runs, in `get`, `status`, gates and the library: refused (exit 3) instead.
 */
function deploymentEvent(e: AuditEvent | undefined): AuditEvent | undefined {
  const misplaced = e && misplacedEventProblem(e);
  if (!misplaced) return e;
  throw new UnavailableError({
    message: `the registry cannot say what ${e.promptId} runs in ${e.env}: ${misplaced}`,
    why: 'serving the version it names would let an event no release manager signed decide what an environment runs.',
    hint: 'run `promptctl audit verify` to see the break, then restore the registry from a backup and find out who changed it.',
  });
}

export async function activeVersion(registry: Registry, promptId: string, env: string): Promise<string | null> {
  return (await activeDeployment(registry, promptId, env))?.version ?? null;
}
