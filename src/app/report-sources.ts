import type { Expectation } from '../core/schemas/evalset.js';
import type { RunOutcome } from '../core/schemas/report.js';
import type { RunRecord, RunSummary } from '../core/schemas/run.js';
import { byRecency } from '../infra/eval/counting-run.js';
import { suiteSpec, type SuiteSpec } from '../infra/eval/stored-runs.js';
import type { Project } from '../infra/project.js';
import type { Registry } from '../infra/registry/types.js';
import { byCodeUnits } from '../core/order.js';
import { groupBy } from '../core/group.js';

export { outcomeFromRegistry, suiteSpec, type SuiteSpec } from '../infra/eval/stored-runs.js';

/** One version's point in the version chart: its latest complete run of a suite. */
export interface HistoryPoint {
  version: string;
  passRate: number;
  /** The run's cases, for the pass rate's interval (absent from older callers). */
  cases?: number;
  p95: number;
  runId: string;
  at: string;
  /** false: recorded in the registry (e.g. from another branch) but with no file in this project. */
  inProject?: boolean;
  /** true: the run was of this version's earlier content (a draft edited since) and none is of its current content. */
  earlierContent?: boolean;
  /**
   * The run's counts, for whether it has a pass rate and a latency to show (render/html/chart-table.ts,
   * by render/run-stats.ts passRateShown): a run that judged no case recorded 0 for both. Absent
   * from older callers: both shown.
   */
  counts?: HistoryCounts;
}

/** What a chart point keeps of its run's summary to tell a pass rate and a latency it has from ones it never measured. */
export type HistoryCounts = Pick<RunSummary, 'passed' | 'failed' | 'notRun' | 'verdict' | 'samples' | 'errors'>;

/** What this checkout holds: a version's content hash (undefined: no file here) and a suite's. */
export interface Checkout {
  contentHash(promptId: string, version: string): string | undefined;
  suiteHash(promptId: string, suite: string): string | undefined;
}

export interface HistorySeries {
  promptId: string;
  suite: string;
  /** The model of every point, when the report holds runs on several: one series per suite and model. */
  model?: string;
  points: HistoryPoint[];
}

/**
 * Where `promptctl report` gets its data: run outcomes rebuilt from the registry's samples (judged
 * with the suite file's case rules when the file still has the content the run used), the
 * expectations of each case, and every version's latest finished run for the version chart.
 */

/** The expectations of a case, from the suite file with the content the run used (none when it changed). */
export type ExpectationsLookup = (o: RunOutcome, caseId: string) => Expectation[];

export function expectationsLookup(project: Project): ExpectationsLookup {
  const specs = new Map<string, SuiteSpec | null>();
  return (o, caseId) => {
    const key = `${o.run.promptId}/${o.run.suite}/${o.run.suiteHash}`;
    if (!specs.has(key)) {
      const file = project.suites.find((s) => s.promptId === o.run.promptId && s.name === o.run.suite && s.hash === o.run.suiteHash);
      specs.set(key, file ? suiteSpec(file) : null);
    }
    return specs.get(key)?.expectations.get(caseId) ?? [];
  };
}

/**
 * For the version chart: per prompt and suite, each version's latest finished complete run on the
 * report's model, of the version's and the suite's current content when it has one (`checkout`:
 * the project's files): a point measured on other cases (another branch's suite) would not compare,
 * and one measured on a draft's earlier content is another prompt. Partial runs (a subset of cases:
 * --filter-failing, --case, --sample; a shard; a latency arm) are left out: their pass rate would
 * not be comparable. Versions with no file here (recorded in the registry, e.g. from another
 * branch) and drafts whose current content has no run are kept and marked, so the chart can show
 * them apart. A report on several models (a model matrix) gets one series per suite and model: one
 * line joining versions run on different models would read a model's drop as the prompt's.
 */
export async function historyFor(registry: Registry, promptIds: string[], models: Set<string>, checkout?: Checkout): Promise<HistorySeries[]> {
  const series: HistorySeries[] = [];
  for (const promptId of promptIds) {
    const runs = (await registry.listRuns({ promptId, status: 'finished' })).filter((r) => r.summary && !r.summary.partial && models.has(r.model));
    const several = models.size > 1;
    const bySuite = new Map<string, { suite: string; model?: string; runs: RunRecord[] }>();
    for (const r of runs) {
      const key = several ? `${r.suite}\n${r.model}` : r.suite;
      const entry = bySuite.get(key) ?? { suite: r.suite, ...(several ? { model: r.model } : {}), runs: [] };
      entry.runs.push(r);
      bySuite.set(key, entry);
    }
    for (const [, { suite, model, runs: list }] of [...bySuite.entries()].sort(([a], [b]) => byCodeUnits(a, b))) {
      const current = checkout?.suiteHash(promptId, suite);
      const byVersion = groupBy(list, (r) => r.version);
      const points = [...byVersion.entries()].map(([version, rs]): HistoryPoint => {
        const content = checkout?.contentHash(promptId, version);
        // The current content of both first, then of the prompt, then of the suite, then any.
        const rank = (r: RunRecord) => (r.promptHash === content ? 2 : 0) + (r.suiteHash === current ? 1 : 0);
        const best = Math.max(...rs.map(rank));
        const latest = byRecency(rs.filter((r) => rank(r) === best)).at(-1)!;
        const s = latest.summary!;
        // The latest run stands even when it judged no case (every request failed): the chart shows
        // the gap rather than an older run's rate, which is not the run report and gates count.
        const counts: HistoryCounts = { passed: s.passed, failed: s.failed, notRun: s.notRun, verdict: s.verdict, samples: s.samples, ...(s.errors ? { errors: s.errors } : {}) };
        const point = { version, passRate: s.passRate, cases: s.cases, p95: s.latencyP95, runId: latest.id, at: latest.endedAt ?? latest.startedAt, counts };
        if (!checkout) return point;
        if (content === undefined) return { ...point, inProject: false };
        return latest.promptHash === content ? point : { ...point, earlierContent: true };
      });
      series.push({ promptId, suite, ...(model !== undefined ? { model } : {}), points });
    }
  }
  return series;
}
