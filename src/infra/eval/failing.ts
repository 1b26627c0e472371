import { failingCaseIds, tallyVerdicts, type CaseVerdict } from '../../core/eval/latest-verdicts.js';
import type { CaseSpec } from '../../core/eval/aggregate.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { Project } from '../project.js';
import type { Registry } from '../registry/types.js';
import { caseSpecsOf, casesAsRun } from './stored-runs.js';
import { modelFor, runsSinceCounting, suiteTarget } from './suite-target.js';
import type { SessionTarget } from './session-plan.js';

/**
 * For --filter-failing: per suite, the cases whose most recent verdict (core/eval/latest-verdicts.ts)
 * is not a pass, from the counting run and every finished run after it with the same content and
 * model. A suite never run on its current content keeps all its cases, as a complete run.
 */
export async function failingCases(registry: Registry, project: Project, t: SessionTarget, model = targetModel(project, t)): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const s of t.suites) {
    const { counting, later } = await runsSinceCounting(registry, suiteTarget(t.version, s, model, project.config));
    const runs = counting ? [counting, ...later] : later;
    if (!runs.length) continue;
    const specs = caseSpecsOf(s);
    const verdicts: Array<Map<string, CaseVerdict>> = [];
    for (const run of runs) verdicts.push(await runVerdicts(registry, run, specs));
    out.set(s.name, failingCaseIds(specs.map((c) => c.id), verdicts));
  }
  return out;
}

/**
 * The verdict of each case a run recorded, from one tally of its samples (one round trip per run,
 * no sample read), at the suite's repeat as a counting run is judged: a run of another `--repeat`
 * is partial and never counts (core/eval/plan.ts), so a case with fewer samples there is not run
 * and clears nothing the gate still refuses (before, `--repeat 1` passed cases on one sample).
 */
async function runVerdicts(registry: Registry, run: RunRecord, specs: readonly CaseSpec[]): Promise<Map<string, CaseVerdict>> {
  const tally = await registry.sampleTally(run.id);
  const recorded = new Map(tally.cases.map((c) => [c.caseId, c.pass + c.fail + c.error]));
  const ran = specs.filter((c) => recorded.has(c.id));
  return tallyVerdicts(casesAsRun(ran, (id) => recorded.get(id) ?? 0, false), tally);
}

/** The model a target's runs are recorded under: its matrix model, or the version's own. */
const targetModel = (project: Project, t: SessionTarget): string => t.model ?? modelFor(project, t.version);

/** A suite whose every case passed when it last ran on this model: --filter-failing has nothing to send for it. */
export interface NothingFailing {
  promptId: string;
  version: string;
  suite: string;
  model: string;
  /** Only the cases `--case`, `--tag` or `--sample` selected passed (other cases of the suite did not): nothing of the selection to re-run. */
  selected?: true;
}

/**
 * Narrows each target to the cases that did not pass when they last ran. A suite with nothing failing is
 * dropped (an empty run would record a meaningless 0% and look incomplete), and so is a target left
 * without suites; they are returned so the command can say there was nothing to re-run.
 */
export async function narrowToFailing(
  registry: Registry,
  project: Project,
  targets: SessionTarget[],
): Promise<{ targets: SessionTarget[]; nothingFailing: NothingFailing[] }> {
  const nothingFailing: NothingFailing[] = [];
  const kept: SessionTarget[] = [];
  for (const t of targets) {
    const model = targetModel(project, t);
    const only = await failingCases(registry, project, t, model);
    const suites = t.suites.filter((s) => {
      if (only.get(s.name)?.size !== 0) return true;
      nothingFailing.push({ promptId: t.version.id, version: t.version.version, suite: s.name, model });
      return false;
    });
    if (suites.length) kept.push({ ...t, suites, onlyCases: only });
  }
  return { targets: kept, nothingFailing };
}
