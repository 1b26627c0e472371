import type { DeployGateInput } from '../../core/gate-types.js';
import type { Registry, TestedMark } from '../registry/types.js';

/**
 * The weights behind a model name as far as the registry knows, read offline: the `root` each run
 * that earned a tested mark recorded, and the one the latest finished run on that name (any prompt,
 * any version) recorded. The gate compares them (core/gate-tested.ts); nothing asks the server.
 */
export async function servedRootsOf(registry: Registry, mark: Pick<TestedMark, 'model' | 'suites'> | undefined): Promise<DeployGateInput['servedRoots']> {
  if (!mark?.suites.length) return undefined;
  const earned: string[] = [];
  for (const s of mark.suites) {
    const root = (await registry.getRun(s.runId))?.summary?.served?.root;
    if (root !== undefined) earned.push(root);
  }
  if (!earned.length) return undefined;
  // listRuns is ordered by start: the last run on the name with a summary says what it serves now.
  const latest = (await registry.listRuns({})).findLast((r) => r.model === mark.model && r.summary);
  const current = latest?.summary?.served?.root;
  return { earned, ...(current !== undefined ? { current } : {}) };
}
