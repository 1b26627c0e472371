import { byCodeUnits } from '../../core/order.js';
import { gradedAsNow, judgeChange, type Judges } from '../../core/eval/grading.js';
import type { RegradedSuite } from '../../core/gate-check.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { Registry } from '../registry/types.js';

/**
 * One suite of one version, as the registry knows runs of it: which content, which model, how many
 * cases. Eval (its baseline side), tested marks, deploy gates, compare, report and --filter-failing
 * all ask the registry about a suite through this, so they agree on which run counts.
 */
export interface SuiteTarget {
  promptId: string;
  version: string;
  /** The version's content hash: an edited file is another prompt. */
  promptHash: string;
  suite: string;
  /** The suite file's content hash: a run of older suite content measured something else. */
  suiteHash: string;
  model: string;
  /**
   * The request settings outside the files (core/eval/settings-key.ts), when known: a run recorded
   * with other settings does not count. Unknown (a version whose file is gone) or unrecorded (runs
   * from before runs recorded them): not compared.
   */
  settings?: string;
  /**
   * The graders the config names now (core/eval/grading.ts): a run graded otherwise, where its
   * expectations use a judge, does not count. Unknown (no config at hand): not compared.
   */
  judges?: Judges;
}

/** Runs oldest first, by when they ended (or started, while running): the one order "newest" means. */
export function byRecency(runs: RunRecord[]): RunRecord[] {
  return [...runs].sort((a, b) => byCodeUnits(a.endedAt ?? a.startedAt, b.endedAt ?? b.startedAt));
}

async function finishedRuns(registry: Registry, t: SuiteTarget): Promise<RunRecord[]> {
  return byRecency(
    (await registry.listRuns({ promptId: t.promptId, version: t.version, suite: t.suite, status: 'finished' })).filter(
      (r) =>
        r.promptHash === t.promptHash &&
        r.suiteHash === t.suiteHash &&
        r.model === t.model &&
        r.summary !== undefined &&
        (t.settings === undefined || r.summary.settings === undefined || r.summary.settings === t.settings) &&
        (t.judges === undefined || gradedAsNow(r.summary.grading, t.judges)),
    ),
  );
}

/** A run that covered every case, i.e. not a --case, --filter-failing, shard or latency subset (those are marked `partial`). */
const coversEveryCase = (r: RunRecord): boolean => !r.summary!.partial;

/**
 * The run of a suite that counts (for gates, tested marks, baselines, compare and report): the
 * newest finished run with the same prompt content, suite content, model and settings, graded as
 * the config grades now, that covered every case. In a project that signs tested marks, a run
 * counts only through the signed mark that names it: readers ask `runThatCounts` (vouched-run.ts,
 * or stored-runs.ts `countedRun`), which applies that over this.
 */
export async function countingRun(registry: Registry, t: SuiteTarget): Promise<RunRecord | undefined> {
  return (await completeRuns(registry, t)).at(-1);
}

/** Every run of a suite that could count (`countingRun` is the newest), oldest first: where a signed mark's run is looked for (vouched-run.ts). */
export async function completeRuns(registry: Registry, t: SuiteTarget): Promise<RunRecord[]> {
  return (await finishedRuns(registry, t)).filter(coversEveryCase);
}

/**
 * The judge change behind a suite without a counting run (its newest complete run that would count
 * but for its grading), or behind a failed one (graded the old way it passed): what the gates name
 * besides the prompt as the cause.
 */
export async function regradedSuite(registry: Registry, t: SuiteTarget, counting: RunRecord | undefined): Promise<RegradedSuite | undefined> {
  const { judges, ...target } = t;
  if (!judges) return undefined;
  const other = (await finishedRuns(registry, target)).filter((r) => coversEveryCase(r) && !gradedAsNow(r.summary!.grading, judges)).at(-1);
  const change = other?.summary && judgeChange(other.summary.grading, judges);
  if (!other?.summary || !change) return undefined;
  const passed = other.summary.verdict === 'passed';
  if (counting?.summary && !(counting.summary.verdict === 'failed' && passed)) return undefined;
  return { suite: t.suite, passed, ...change };
}

/**
 * What --filter-failing reads each case's latest verdict from: the counting run (none before the
 * first complete run) and every finished run after it on the same contents and model, oldest
 * first, partial ones included, so a second --filter-failing re-runs what the first left failing
 * and a --case run of one case leaves the others' verdicts standing.
 */
export async function runsSinceCounting(registry: Registry, t: SuiteTarget): Promise<{ counting?: RunRecord; later: RunRecord[] }> {
  const runs = await finishedRuns(registry, t);
  const at = runs.findLastIndex(coversEveryCase);
  // Left out as before: a shard's cases are judged again in its merged run, and latency
  // measurements (cache bypassed, both arms) never count for pass rates (latency-measure.ts).
  const later = runs.slice(at + 1).filter((r) => !r.summary!.shard && !r.summary!.latency);
  return at < 0 ? { later } : { counting: runs[at], later };
}
