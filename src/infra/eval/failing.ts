import { failingCaseIds, suiteAsLastRan, tallyVerdicts, type CaseVerdict, type SuiteAsLastRan } from '../../core/eval/latest-verdicts.js';
import type { CaseSpec } from '../../core/eval/aggregate.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { Project } from '../project.js';
import type { Registry } from '../registry/types.js';
import { caseSpecsOf, casesAsRun } from './stored-runs.js';
import { modelFor, runsSinceCounting, suiteTarget } from './suite-target.js';
import type { SessionTarget } from './session-plan.js';
import type { SuiteFile } from '../project.js';

/**
 * For --filter-failing: per suite, the cases whose most recent verdict (core/eval/latest-verdicts.ts)
 * is not a pass, from the counting run and every finished run after it with the same content and
 * model. A suite never run on its current content keeps all its cases, as a complete run.
 */
export async function failingCases(registry: Registry, project: Project, t: SessionTarget, model = targetModel(project, t)): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const s of t.suites) {
    const verdicts = await verdictsSinceCounting(registry, project, t, s, model);
    if (!verdicts.length) continue;
    out.set(s.name, failingCaseIds(caseSpecsOf(s).map((c) => c.id), verdicts));
  }
  return out;
}

/** Each case verdict of the counting run and every finished run after it (the partial runs), oldest first. */
async function verdictsSinceCounting(registry: Registry, project: Project, t: SessionTarget, s: SuiteFile, model: string): Promise<Array<Map<string, CaseVerdict>>> {
  const { counting, later } = await runsSinceCounting(registry, suiteTarget(t.version, s, model, project.config));
  const specs = caseSpecsOf(s);
  const verdicts: Array<Map<string, CaseVerdict>> = [];
  for (const run of counting ? [counting, ...later] : later) verdicts.push(await runVerdicts(registry, run, specs));
  return verdicts;
}

/** A suite as its cases last ran (core/eval/latest-verdicts.ts `suiteAsLastRan`): what a partial run of it means for the suite. */
export async function asLastRan(registry: Registry, project: Project, t: SessionTarget, s: SuiteFile, model = targetModel(project, t)): Promise<SuiteAsLastRan> {
  return suiteAsLastRan(caseSpecsOf(s).map((c) => c.id), await verdictsSinceCounting(registry, project, t, s, model), s.data.threshold);
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
