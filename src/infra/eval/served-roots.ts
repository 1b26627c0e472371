import type { DeployGateInput } from '../../core/gate-types.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { Registry, TestedMark } from '../registry/types.js';

/**
 * The weights behind a model name as far as the registry knows, read offline: the `root` each run
 * that earned a tested mark recorded, and the one the latest run on that name (any prompt, any
 * version) that asked the server recorded. The gate compares them (core/gate-tested.ts); nothing
 * asks the server.
 *
 * A run answered wholly from the cache asked the server nothing and records no root: its answers
 * are those the newest earlier run of the same suite, content and model wrote (the cache keeps the
 * last answer to each request), so it is taken as earned on that run's root. Without that, a
 * cached re-run after a swap of weights re-earned the mark on the old weights' answers unseen.
 */
export async function servedRootsOf(registry: Registry, mark: Pick<TestedMark, 'model' | 'suites'> | undefined): Promise<DeployGateInput['servedRoots']> {
  if (!mark?.suites.length) return undefined;
  // listRuns is ordered by start.
  const runs = (await registry.listRuns({})).filter((r) => r.model === mark.model && r.summary);
  const earned: string[] = [];
  for (const s of mark.suites) {
    const run = runs.find((r) => r.id === s.runId) ?? (await registry.getRun(s.runId));
    const root = run?.summary?.served?.root ?? (run && answeredBy(runs, run));
    if (root !== undefined) earned.push(root);
  }
  if (!earned.length) return undefined;
  const current = runs.findLast((r) => r.summary?.served?.root !== undefined)?.summary?.served?.root;
  return { earned, ...(current !== undefined ? { current } : {}) };
}

/** The root of the newest run before `run` of the same suite, contents and model that recorded one. */
function answeredBy(runs: readonly RunRecord[], run: RunRecord): string | undefined {
  const before = runs.slice(0, Math.max(0, runs.findIndex((r) => r.id === run.id)));
  const same = (r: RunRecord) => r.promptId === run.promptId && r.version === run.version && r.suite === run.suite && r.promptHash === run.promptHash && r.suiteHash === run.suiteHash;
  return before.findLast((r) => same(r) && r.summary?.served?.root !== undefined)?.summary?.served?.root;
}
