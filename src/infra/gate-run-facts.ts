import type { DeployGateInput, SuiteRunFacts } from '../core/gates.js';
import type { RegradedSuite, UnvouchedRun } from '../core/gate-types.js';
import type { RunRecord, RunSummary } from '../core/schemas/run.js';
import type { IncompleteBy } from '../core/gate-check.js';
import type { Project, PromptFile, SuiteFile } from './project.js';
import type { Registry, TestedMark } from './registry/types.js';
import { regradedSuite, suiteTarget, type SuiteTarget } from './eval/suite-target.js';
import { requireMarkedRun, runThatCounts, type Vouching } from './eval/vouched-run.js';
import { plainEvalModels } from './eval/model-matrix.js';
import { judgedFromSamples } from './eval/stored-runs.js';
import { alignScorers, type Rescored } from './eval/rescore.js';
import { suitesFor } from './eval/targets.js';

/**
 * The suite runs a deploy gate judges: the candidate's counting runs on a model, and the deployed
 * version's on the model it is served on, as gate facts (re-scored where two scorer versions meet).
 */

/**
 * The facts of runs that ran every case the suite has now. A suite's attack cases come from the
 * packs promptctl ships: after an upgrade adds attacks, an older run lacks them, so it is no
 * current run ("run eval"), not a failed one ("fix the prompt").
 */
function coveringNow(facts: Array<SuiteRunFacts & { notRun: number }>): SuiteRunFacts[] {
  return facts.filter((f) => f.notRun === 0).map(({ notRun: _, ...f }) => f);
}

/** One registry read after another, as the gate always read them. */
async function inOrder<T, R>(items: T[], f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (const x of items) out.push(await f(x));
  return out;
}

export type VersionRef = { id: string; version: string; hash: string; file?: PromptFile };
type Counted = { suite: SuiteFile; run: RunRecord };

/**
 * Each side's tested mark that counts, and whether the project signs marks. Signed, a run counts
 * through the mark that names it (`Vouching`); unsigned, the newest run counts, and where the mark
 * names it its samples must still match the mark's fingerprints (`requireMarkedRun`, exit 3): on
 * either side, or samples flipped under the baseline's mark would hide a regression.
 */
export type SideMarks = { signed: boolean; candidate: TestedMark | undefined; baseline: () => Promise<TestedMark | undefined> };
type SideMark = Vouching & { signed: boolean };

/** The counting runs, and the suites without a passing one that the judge changed under (`regradedSuite`). */
async function countingRuns(registry: Registry, project: Project, v: VersionRef, model: string, servedSettings?: string, marks?: SideMark): Promise<{ counted: Counted[]; regraded: RegradedSuite[]; unvouched: UnvouchedRun[] }> {
  const file = v.file ?? project.prompts.find((p) => p.id === v.id && p.version === v.version);
  const suites = file ? suitesFor(project, file) : project.suites.filter((s) => s.promptId === v.id);
  const counted: Counted[] = [];
  const regraded: RegradedSuite[] = [];
  const unvouched: UnvouchedRun[] = [];
  for (const suite of suites) {
    const target = suiteTarget({ ...v, ...(file ? { data: file.data } : {}) }, suite, model, project.config, servedSettings);
    const run = await vouchedRun(registry, suite, target, marks?.signed ? { mark: marks.mark, side: marks.side } : undefined, unvouched);
    if (run && marks && !marks.signed && marks.mark) await requireMarkedRun(registry, marks.mark, run);
    if (run?.summary) counted.push({ suite, run });
    const other = run?.summary?.verdict === 'passed' ? undefined : await regradedSuite(registry, target, run);
    if (other) regraded.push(other);
  }
  return { counted, regraded, unvouched };
}

/**
 * The run of a suite a gate counts (`runThatCounts`, the one rule: where marks are signed, through
 * the mark that names it), a newer run no signed mark names added to `unvouched`.
 */
async function vouchedRun(registry: Registry, suite: SuiteFile, target: SuiteTarget, vouching: Vouching | undefined, unvouched: UnvouchedRun[]): Promise<RunRecord | undefined> {
  const { run, unvouched: newer } = await runThatCounts(registry, target, vouching, async (r) => (await factsOf(registry, { suite, run: r })).passed === true);
  if (newer) unvouched.push({ suite: suite.name, runId: newer.id });
  return run;
}

/** A counting run's gate facts from its samples: as recorded, or as re-scored by the current scorer. */
async function factsOf(registry: Registry, { suite: s, run }: Counted, rescored?: Rescored): Promise<SuiteRunFacts & { notRun: number }> {
  const { summary, cases } = await judgedFromSamples(registry, run, s, rescored?.samples);
  return {
    notRun: summary.notRun,
    suite: s.name,
    kind: run.suiteKind,
    passRate: summary.passRate,
    p95: summary.latencyP95,
    piiLeaks: summary.piiLeaks ?? 0,
    systemPromptLeaks: summary.systemPromptLeaks ?? 0,
    ...(summary.resistance !== undefined ? { resistance: summary.resistance } : {}),
    passed: summary.verdict === 'passed',
    ...(summary.verdict === 'incomplete' ? { incomplete: true, incompleteBy: incompleteBy(summary, s.data.threshold) } : {}),
    cases,
    ...(rescored ? { rescored: { scorer: rescored.scorer, recordedWith: rescored.recordedWith } } : {}),
  };
}

/** What made a run incomplete, as the gate lines say it: its counts, and the attacks none of whose samples was judged. */
function incompleteBy(s: RunSummary, threshold: number): IncompleteBy {
  const summary = { verdict: s.verdict, cases: s.cases, passed: s.passed, failed: s.failed, errored: s.errored, notRun: s.notRun, samples: s.samples, ...(s.errors ? { errors: s.errors } : {}) };
  return { summary, threshold, ...(s.attacks !== undefined ? { attacks: { notJudged: s.cases - s.attacks, of: s.cases } } : {}) };
}

/**
 * The candidate's runs on `model` and the deployed version's on the model it is served on, suite by
 * suite, with which suites apply to the deployed one (unknown when its file is gone). Where the two
 * runs of a suite were scored by different scorer versions, the older one is re-scored
 * (`alignScorers`), so the regression check never reads a change of scorer as a change of prompt.
 */
export async function pairedFacts(
  registry: Registry,
  project: Project,
  candidate: VersionRef,
  model: string,
  deployed: { id: string; version: string; hash: string; model: string; settings?: string } | undefined,
  /** Each side's mark that counts (`SideMarks`); absent, the newest runs count unchecked. */
  marks?: SideMarks,
): Promise<Pick<DeployGateInput, 'suiteRuns' | 'regraded' | 'baseline' | 'unvouched'>> {
  const { counted: cur, regraded, unvouched } = await countingRuns(registry, project, candidate, model, undefined, marks && { signed: marks.signed, mark: marks.candidate, side: 'candidate' });
  const judgedOtherwise = { ...(regraded.length ? { regraded } : {}), ...(unvouched.length ? { unvouched } : {}) };
  if (!deployed) return { suiteRuns: coveringNow(await inOrder(cur, (x) => factsOf(registry, x))), ...judgedOtherwise, baseline: undefined };
  const file = project.prompts.find((p) => p.id === deployed.id && p.version === deployed.version);
  const baseMark = marks && { signed: marks.signed, mark: await marks.baseline(), side: 'baseline' as const };
  const { counted: base, regraded: baseRegraded } = await countingRuns(registry, project, { ...deployed, file }, deployed.model, deployed.settings, baseMark);
  const aligned = new Map<string, { a?: Rescored; b?: Rescored }>();
  for (const c of cur) {
    const b = base.find((x) => x.suite.name === c.suite.name && x.run.suiteKind === c.run.suiteKind);
    // Only a run the current scorer cannot judge again stays as recorded (registered content is always at hand here).
    if (b && b.run.suiteHash === c.run.suiteHash) aligned.set(c.suite.name, await alignScorers(registry, project, c.suite, c.run, b.run, []));
  }
  const suiteRuns = coveringNow(await inOrder(cur, (x) => factsOf(registry, x, aligned.get(x.suite.name)?.a)));
  const baseRuns = coveringNow(await inOrder(base, (x) => factsOf(registry, x, aligned.get(x.suite.name)?.b)));
  const version = deployed.version;
  const baseOtherwise = baseRegraded.length ? { regraded: baseRegraded } : {};
  const baseline = file ? { version, suiteRuns: baseRuns, applicableSuites: suitesFor(project, file).map((s) => s.name), plainEvalModels: plainEvalModels(project, file.data.model), ...baseOtherwise } : { version, suiteRuns: baseRuns, ...baseOtherwise };
  return { suiteRuns, ...judgedOtherwise, baseline };
}
