import { attackCategoryOf } from '../../core/attacks/expand.js';
import { effectiveParams, settingsOf } from '../../core/eval/plan.js';
import type { EvalCase } from '../../core/schemas/evalset.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { Project, PromptFile, SuiteFile } from '../project.js';
import type { Registry } from '../registry/types.js';
import { expandSuiteAttacks } from './attacks.js';
import { byCodeUnits } from '../../core/order.js';

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
}

/** The model a version runs on: its own `model.model`, else the project's defaults, else the server's. */
export function modelFor(project: Project, v: Pick<PromptFile, 'data'>): string {
  return modelOf(project.config, v.data.model);
}

/**
 * The one model resolution, for a version's own `model:` settings read from its file or from its
 * registered content: its own model, else the config's defaults, else the server's.
 */
export function modelOf(config: Project['config'], own: Parameters<typeof effectiveParams>[2]): string {
  return effectiveParams(config.server.model, config.defaults, own).model;
}

/** The cases an adversarial suite gains from its `attacks:` packs (none for a golden suite). */
export function generatedCases(s: SuiteFile): Array<{ case: EvalCase; category: string }> {
  return s.data.kind === 'adversarial' ? expandSuiteAttacks(s) : [];
}

/** Every case a suite runs, in order: its own, then the generated attack cases, with their category. */
export function suiteCases(s: SuiteFile): Array<{ case: EvalCase; category?: string }> {
  return [...s.data.cases.map((c) => ({ case: c, category: attackCategoryOf(c) as string | undefined })), ...generatedCases(s)];
}

/**
 * A suite of a version on a model (`modelFor` the version's file, or the model a gate judges on),
 * with the settings its runs send under `config` when the version's file is at hand.
 */
export function suiteTarget(v: Pick<PromptFile, 'id' | 'version' | 'hash'> & { data?: PromptFile['data'] }, s: SuiteFile, model: string, config?: Project['config']): SuiteTarget {
  const settings = config && v.data ? { settings: settingsOf(config, v.data.model, model) } : {};
  return { promptId: v.id, version: v.version, promptHash: v.hash, suite: s.name, suiteHash: s.hash, model, ...settings };
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
        (t.settings === undefined || r.summary.settings === undefined || r.summary.settings === t.settings),
    ),
  );
}

/** A run that covered every case, i.e. not a --case, --filter-failing, shard or latency subset (those are marked `partial`). */
const coversEveryCase = (r: RunRecord): boolean => !r.summary!.partial;

/**
 * The run of a suite that counts (for gates, tested marks, baselines, compare and report): the
 * newest finished run with the same prompt content, suite content, model and settings that
 * covered every case.
 */
export async function countingRun(registry: Registry, t: SuiteTarget): Promise<RunRecord | undefined> {
  return (await finishedRuns(registry, t)).filter(coversEveryCase).at(-1);
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
