import type { RunRecord } from '../../core/schemas/run.js';
import type { Registry } from './types.js';

/**
 * The newest runs (on `models`, or on any model), oldest first, as many as it takes for `holds` to
 * answer from them, or all of them: read in windows widened eightfold, since what is sought (the
 * run that says what a name serves now, the latest complete run) is almost always among the newest,
 * and a year of history is not read for it.
 */
export async function newestRunsHolding(registry: Pick<Registry, 'newestRuns'>, models: readonly string[] | undefined, holds: (runs: RunRecord[]) => boolean): Promise<RunRecord[]> {
  for (let limit = 32; ; limit *= 8) {
    const runs = await registry.newestRuns(models, limit);
    if (runs.length < limit || holds(runs)) return runs;
  }
}
