import type { RunRecord } from '../../core/schemas/run.js';
import type { Registry } from '../registry/types.js';

/**
 * The newest finished run of a version against a suite that counts for gates and marks: same
 * prompt content, same suite content, same model, and complete (not a --filter-failing subset).
 */
export async function latestCountingRun(
  registry: Registry,
  q: { promptId: string; version: string; promptHash: string; suite: string; suiteHash?: string; model: string; fullCases?: number; includePartial?: boolean },
): Promise<RunRecord | undefined> {
  return (await registry.listRuns({ promptId: q.promptId, version: q.version, suite: q.suite, status: 'finished' }))
    .filter(
      (r) =>
        r.promptHash === q.promptHash &&
        r.model === q.model &&
        (q.suiteHash === undefined || r.suiteHash === q.suiteHash) &&
        r.summary !== undefined &&
        (q.includePartial || !r.summary.partial) &&
        (q.fullCases === undefined || r.summary.cases === q.fullCases),
    )
    .sort((a, b) => (a.endedAt ?? a.startedAt).localeCompare(b.endedAt ?? b.startedAt))
    .at(-1);
}
