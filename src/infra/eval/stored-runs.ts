import { caseFactsOf, summarizeRun, summarizeTally, tallyOf, type CaseFacts, type CaseSpec, type RunTally } from '../../core/eval/aggregate.js';
import { InputError } from '../../core/errors.js';
import { closestName } from '../../core/suggest.js';
import { restoreDeletedFile } from '../../core/version-state.js';
import type { FileGone } from '../project-query.js';
import type { Expectation } from '../../core/schemas/evalset.js';
import type { RunOutcome } from '../../core/schemas/report.js';
import type { RunRecord, RunSummary, SampleResult } from '../../core/schemas/run.js';
import type { SigningConfig } from '../../core/schemas/signing-config.js';
import type { Project, PromptFile, SuiteFile } from '../project.js';
import type { Registry } from '../registry/types.js';
import { plainEvalModels } from './model-matrix.js';
import { modelFor, suiteCases, suiteTarget } from './suite-target.js';
import { suitesFor } from './targets.js';
import { runThatCounts, vouchingFor, type Vouching } from './vouched-run.js';
import type { SuiteTarget } from './counting-run.js';

/**
 * Stored runs read back as outcomes, for the commands that show results without running anything
 * (`compare`, `report`): a run's case verdicts rebuilt from its recorded samples, and a version's
 * counting run of each suite on the suite's current content (`runThatCounts`, the gates' rule).
 */

export interface SuiteSpec {
  cases: CaseSpec[];
  expectations: Map<string, Expectation[]>;
  threshold: number;
  maxErrorRate: number;
}

/** The cases a suite runs (attack-pack cases expanded), with their repeat and min_pass_rate. */
export function suiteSpec(s: SuiteFile): SuiteSpec {
  return { cases: caseSpecsOf(s), expectations: new Map(suiteCases(s).map(({ case: c }) => [c.id, c.expect])), threshold: s.data.threshold, maxErrorRate: s.data.max_error_rate };
}

/** `suiteSpec`'s cases alone: what a summary needs (a large suite's expectations are not gathered for it). */
export function caseSpecsOf(s: SuiteFile): CaseSpec[] {
  const d = s.data;
  return suiteCases(s).map(({ case: c, category }) => ({ id: c.id, repeat: c.repeat ?? d.repeat, minPassRate: c.min_pass_rate ?? d.min_pass_rate, ...(category ? { category } : {}) }));
}

/**
 * The cases of a suite as a run judged them. A complete run is judged by what it recorded, so a
 * run made with `eval --repeat n` keeps its repeat; otherwise a case needs the suite's repeat, and
 * a case with fewer samples did not finish.
 */
export function casesAsRun(cases: CaseSpec[], recorded: (caseId: string) => number, complete: boolean): CaseSpec[] {
  return cases.map((c) => {
    const n = recorded(c.id);
    return { ...c, repeat: complete && n > 0 ? n : Math.max(c.repeat, n) };
  });
}

function whereOf(run: RunRecord): string {
  return `${run.promptId}@${run.version} ${run.suite} (run ${run.id.slice(0, 8)})`;
}

/** The cases a run is judged on, from the samples recorded per case (see outcomeFromRegistry), with the notes that say how. */
export function runCaseSpecs(run: RunRecord, spec: SuiteSpec | undefined, counts: ReadonlyMap<string, { n: number; category?: string }>, notes: string[]): CaseSpec[] {
  const where = whereOf(run);
  let cases: CaseSpec[];
  if (spec) {
    const complete = run.summary !== undefined && run.summary.notRun === 0;
    const subset = run.summary !== undefined && run.summary.cases < spec.cases.length;
    cases = casesAsRun(spec.cases.filter((c) => !subset || counts.has(c.id)), (id) => counts.get(id)?.n ?? 0, complete);
    if (subset) notes.push(`${where} ran only ${run.summary!.cases} of the suite's ${spec.cases.length} cases (--filter-failing)`);
  } else {
    cases = [...counts.entries()].map(([id, c]) => ({ id, repeat: c.n, minPassRate: 1, ...(c.category ? { category: c.category } : {}) }));
    notes.push(`${where}: the suite file has changed since this run (or is gone), so its cases are judged from their samples with min_pass_rate 1 and their expectations are not shown`);
  }
  if (run.status === 'running') notes.push(`${where} has not finished (still running, or interrupted: eval --resume continues it)`);
  return cases;
}

/** A note when the verdicts recomputed from a run's samples differ from its recorded summary. */
export function noteRecomputedVerdicts(run: RunRecord, verdicts: readonly string[], notes: string[]): void {
  const s = run.summary;
  if (!s) return;
  const n = (v: string) => verdicts.filter((x) => x === v).length;
  if (n('pass') !== s.passed || n('fail') !== s.failed || n('error') !== s.errored) {
    notes.push(`${whereOf(run)}: case verdicts recomputed from the samples (${n('pass')} passed, ${n('fail')} failed) differ from the recorded summary (${s.passed} passed, ${s.failed} failed); gates judge by the samples`);
  }
}

/**
 * A run's case outcomes from its recorded samples. With the suite's rules, a complete run's repeat
 * is what was recorded (so `eval --repeat n` is judged as it ran) and a `--filter-failing` subset
 * keeps only its cases. Without them (the suite file changed or is gone), cases are judged from
 * their samples with min_pass_rate 1, and the report says so.
 */
export async function outcomeFromRegistry(registry: Registry, run: RunRecord, spec: SuiteSpec | undefined, notes: string[], rescored?: readonly SampleResult[]): Promise<RunOutcome> {
  // `rescored`: the run's samples judged again by the current scorer (rescore.ts), in place of the recorded verdicts.
  const samples = rescored ?? (await registry.getSamples(run.id));
  const counts = new Map<string, { n: number; category?: string }>();
  for (const s of samples) {
    const c = counts.get(s.caseId) ?? { n: 0, category: s.category };
    c.n++;
    counts.set(s.caseId, c);
  }
  const cases = runCaseSpecs(run, spec, counts, notes);
  const { cases: outcomes } = summarizeRun({
    cases,
    samples: samples as SampleResult[],
    threshold: spec?.threshold ?? 1,
    maxErrorRate: spec?.maxErrorRate ?? 0.05,
    adversarial: run.suiteKind === 'adversarial',
  });
  // A re-scored run's verdicts differ from its recorded summary by design (rescore.ts): no note.
  if (!rescored) noteRecomputedVerdicts(run, outcomes.map((c) => c.verdict), notes);
  // NaN: the threshold is unknown without the suite file; the report then shows none.
  return { run, threshold: spec?.threshold ?? Number.NaN, cases: outcomes };
}

/**
 * A counting run's summary as its samples have it, counted by the registry. The summary stored
 * when the run finished is only a claim about those samples: a gate that read it would pass a
 * version whose summary was edited by hand.
 */
export async function summaryFromSamples(registry: Registry, run: RunRecord, s: SuiteFile): Promise<RunSummary> {
  return (await talliedRun(registry, run, s)).summary;
}

/**
 * The summary and the per-case facts (for paired checks) of a counting run, from the registry's
 * tally of its samples, or from `rescored` samples (rescore.ts) when given.
 */
export async function judgedFromSamples(registry: Registry, run: RunRecord, s: SuiteFile, rescored?: readonly SampleResult[]): Promise<{ summary: RunSummary; cases: CaseFacts[] }> {
  const { summary, cases, tally } = await talliedRun(registry, run, s, rescored);
  return { summary, cases: caseFactsOf(cases, tally) };
}

async function talliedRun(registry: Registry, run: RunRecord, s: SuiteFile, rescored?: readonly SampleResult[]): Promise<{ summary: RunSummary; cases: CaseSpec[]; tally: RunTally }> {
  const tally = rescored ? tallyOf(rescored) : await registry.sampleTally(run.id);
  const recorded = new Map(tally.cases.map((c) => [c.caseId, c.pass + c.fail + c.error]));
  // A counting run is finished and covered every case: judged as it ran (its --repeat included).
  const cases = casesAsRun(caseSpecsOf(s), (id) => recorded.get(id) ?? 0, true);
  return { summary: summarizeTally({ cases, tally, threshold: s.data.threshold, maxErrorRate: s.data.max_error_rate, adversarial: run.suiteKind === 'adversarial' }), cases, tally };
}

/**
 * The run of suite `s` that counts for `t`'s version: `runThatCounts` (the gates' rule; where the
 * project signs marks, through the version's signed mark), a newer run judged from its samples.
 */
export async function countedRun(registry: Registry, signing: SigningConfig, t: SuiteTarget, s: SuiteFile, side?: Vouching['side']): Promise<RunRecord | undefined> {
  return (await runThatCounts(registry, t, await vouchingFor(registry, signing, t, side), passesBy(registry, s))).run;
}

/** Whether a run passed, judged from its samples (`summaryFromSamples`), as the gates judge it. */
export function passesBy(registry: Registry, s: SuiteFile): (run: RunRecord) => Promise<boolean> {
  return async (run) => (await summaryFromSamples(registry, run, s)).verdict === 'passed';
}

/** What `storedOutcomes` found for one version: the outcomes it has, and the suites it lacks. */
export interface StoredVersion {
  /** `fileGone`: a registered version whose file was deleted, read from its registered content (project-query.ts). */
  version: PromptFile & { fileGone?: FileGone };
  outcomes: RunOutcome[];
  missing: SuiteFile[];
  /** Every suite that was looked at (those that apply, narrowed by `only`). */
  suites: SuiteFile[];
  /** The model whose runs were read, when named instead of the version's configured one (`id@version:model`). */
  namedModel?: string;
  /** `suites` is narrowed (by `only`): fewer than every suite that applies, so a command that records them must name them. */
  narrowed?: true;
  /**
   * `namedModel` lacks runs, no run of the prompt used it and the project runs the version on other
   * models: perhaps mistyped (`near`, the closest of those known), which only the server can tell.
   */
  unknownModel?: { near?: string };
}

/**
 * For every suite that applies to the version (only those named, when `only` is given), its
 * latest counting run on the version's content, the suite's current content and the version's
 * model, complete (not a --filter-failing subset). Suites without such a run are `missing`.
 * Reads only: nothing is evaluated, nothing is written.
 */
/**
 * `settings`: the settings key of runs to read (a deployed version as served), over the config's now.
 * `side`: where marks are signed, `baseline` reads a deployed version's runs as the gates compare
 * with them (its signed mark's runs), else as the tested gate counts a version's (`Vouching`).
 */
export async function storedOutcomes(registry: Registry, project: Project, file: PromptFile, notes: string[], only?: string[], named?: string, settings?: string, side?: Vouching['side']): Promise<StoredVersion> {
  const configured = modelFor(project, file);
  const model = named ?? configured;
  const outcomes: RunOutcome[] = [];
  const missing: SuiteFile[] = [];
  const suites = suitesFor(project, file, only);
  const vouching = await vouchingFor(registry, project.config.signing, { promptId: file.id, version: file.version, promptHash: file.hash, model }, side);
  for (const s of suites) {
    const spec = suiteSpec(s);
    const { run, unvouched } = await runThatCounts(registry, suiteTarget(file, s, model, project.config, settings), vouching, passesBy(registry, s));
    if (unvouched) notes.push(unvouchedNote(unvouched, run));
    if (run) outcomes.push(await outcomeFromRegistry(registry, run, spec, notes));
    else missing.push(s);
  }
  const narrowed = only !== undefined && suites.length < suitesFor(project, file).length;
  const unknown = model !== configured && missing.length ? await unknownModel(registry, project, file, model) : undefined;
  return { version: file, outcomes, missing, suites, ...(model !== configured ? { namedModel: model } : {}), ...(narrowed ? { narrowed } : {}), ...(unknown ? { unknownModel: unknown } : {}) };
}

/** A newer run no signed mark names, in the tested gate's words: what is read instead. */
function unvouchedNote(newer: RunRecord, read: RunRecord | undefined): string {
  const instead = read ? `run ${read.id.slice(0, 8)}, which the signed mark names, is read instead` : 'no run of it is read';
  return `${newer.promptId}@${newer.version}: not counted: run ${newer.id.slice(0, 8)} of suite '${newer.suite}', which no signed tested mark names (runs are not signed; ${instead}; if no eval recorded it, it was written into the registry by hand: run \`promptctl audit verify\`)`;
}

/**
 * A named model neither the prompt's stored runs nor the project's models for the version know:
 * reading stored runs never asks the server, so the eval that would record it is offered only
 * after the name is checked (`compare id@1.0.0:nope --no-eval` offered `eval --model nope`).
 */
async function unknownModel(registry: Registry, project: Project, file: PromptFile, model: string): Promise<{ near?: string } | undefined> {
  const known = new Set([modelFor(project, file), ...plainEvalModels(project, file.data.model)]);
  for (const run of await registry.listRuns({ promptId: file.id })) known.add(run.model);
  if (known.has(model)) return undefined;
  const near = closestName(model, [...known]);
  return near === undefined ? {} : { near };
}

/** Exit 2 naming each version and suite without a stored run, and the command that records them. */
export function missingRunsError(command: string, stored: StoredVersion[]): InputError {
  const lacking = stored.filter((s) => s.missing.length);
  const onModel = (s: StoredVersion) => (s.namedModel === undefined ? '' : ` on model ${s.namedModel}`);
  const what = lacking.map((s) => `${s.version.id}@${s.version.version}${onModel(s)} (${s.missing.map((m) => m.name).join(', ')})`);
  // --suite is left out only when the missing suites are every suite that applies: else eval would also run the others (those one side of a compare alone has).
  const evalCommand = (s: StoredVersion) =>
    `promptctl eval ${s.version.id}@${s.version.version}${s.namedModel === undefined ? '' : ` --model ${s.namedModel}`}${s.missing.length === s.suites.length && !s.narrowed ? '' : s.missing.map((m) => ` --suite ${m.name}`).join('')}`;
  // eval refuses a version whose file was deleted (project-query.ts): its file comes back first.
  const gone = (s: StoredVersion) => s.version.fileGone;
  const step = (s: StoredVersion) => {
    const g = gone(s);
    const run = s.unknownModel ? `if the server serves ${s.namedModel}, ${evalCommand(s)}` : evalCommand(s);
    const checked = s.unknownModel
      ? `check the model name "${s.namedModel}" first (no stored run of ${s.version.id} used it, nor does the project name it for ${s.version.version}${s.unknownModel.near ? `; did you mean "${s.unknownModel.near}"?` : ''}); ${run}`
      : run;
    return g ? `restore ${g.file} first (${restoreDeletedFile(g, g.how, `${s.version.id}@${s.version.version}`)}), then run ${checked}` : checked;
  };
  return new InputError({
    message: `${command}: no stored run of ${what.join(' and ')} on the current content and settings of ${lacking.length === 1 && lacking[0]!.missing.length === 1 ? 'that suite' : 'those suites'}`,
    why: `${command} reads stored runs only: a run counts when it finished, covered every case, and used this version's content, the suite's current content, the configured model (or the one named) and the request settings .promptrc.yaml gives now (defaults).`,
    hint: `record them first: ${lacking.map(step).join(lacking.some((s) => gone(s) || s.unknownModel) ? '; and ' : ' && ')}`,
  });
}
