import type { BaselineComparison, BaselineFacts, EvalReport } from '../core/schemas/report.js';
import { wordedBaseline } from '../core/gate-regression.js';
import type { Project, PromptFile } from '../infra/project.js';
import type { Registry } from '../infra/registry/types.js';
import { updateTestedMarks } from '../infra/eval/marks.js';
import { buildReport, compareWithBaseline } from '../infra/eval/report.js';
import type { SessionTarget } from '../infra/eval/session-plan.js';
import { modelFor } from '../infra/eval/suite-target.js';
import { asLastRan } from '../infra/eval/failing.js';
import { matrixOf } from '../infra/eval/model-matrix.js';
import { signerFor } from '../infra/signing.js';
import { comparisonRunsOf } from './eval-baseline.js';
import type { AppContext } from './context.js';

/** The summaries of the runs this eval finished, as it judged them from their samples: a mark need not count them again. */
const judgedNow = (outcomes: EvalReport['runs']) => new Map(outcomes.flatMap((o) => (o.run.status === 'finished' && o.run.summary ? [[o.run.id, o.run.summary] as const] : [])));

/** The report of recorded runs: the versions' tested marks earned or withdrawn, and the baseline comparison. */
export async function judged(
  ctx: AppContext,
  actor: Promise<string>,
  registry: Registry,
  project: Project,
  versions: PromptFile[],
  targets: SessionTarget[],
  session: { invocationId: string; outcomes: EvalReport['runs']; aborted?: string },
  opts: { model: string[]; baseline?: string },
  wordBaseline: (b: BaselineFacts) => BaselineComparison,
  shown: { model: string; server: string; startedAt: string },
): Promise<EvalReport> {
  // A project that signs tested marks needs the evaluator's key (checked before any request).
  const sign = signerFor(project.config.signing, ctx.env, 'evaluator');
  const matrix = matrixOf(project, opts.model);
  // In a matrix, each version is marked on the models it ran on (a baseline version on its own).
  const ranOn = (v: PromptFile) => [...new Set(targets.filter((t) => t.version === v).map((t) => t.model ?? modelFor(project, v)))];
  // Runs on more than one model (a matrix, or --baseline adding the environment's model): each
  // version is marked on each, and every run names its model, so two rows of one suite are told apart.
  const severalModels = matrix !== undefined || new Set(targets.map((t) => t.model ?? modelFor(project, t.version))).size > 1;
  const marks = await updateTestedMarks(registry, project, [...new Set(targets.map((t) => t.version))], { invocationId: session.invocationId, actor: await actor, sign, judged: judgedNow(session.outcomes), ran: session.outcomes.map((o) => o.run) }, severalModels ? ranOn : undefined);
  const baselines = opts.baseline ? (await compareWithBaseline(registry, project, versions, opts.baseline)).map((b) => wordedBaseline(b, wordBaseline)) : [];
  const report = buildReport({ ...shown, invocationId: session.invocationId, endedAt: ctx.clock.date().toISOString(), outcomes: session.outcomes, versions: marks, baselines, aborted: session.aborted });
  const asDeployedIn = comparisonRunsOf(project, targets);
  const runs = await withSuitesAsLastRan(registry, project, targets, report.runs);
  const named = { ...report, runs: runs.map((o) => ({ ...o, ...(severalModels ? { showModel: true } : {}), ...(asDeployedIn(o) ? { asDeployedIn: asDeployedIn(o) } : {}) })) };
  return matrix ? { ...named, matrix } : named;
}

/**
 * A finished run of a selection (`--case`, `--tag`, `--sample`, `--filter-failing`) with its suite
 * as the cases last ran (`asLastRan`): what eval's verdict and exit code judge, never the
 * threshold applied to the selected cases alone (README: partial runs), where every other case of
 * the suite has a result to merge with.
 */
async function withSuitesAsLastRan(registry: Registry, project: Project, targets: SessionTarget[], runs: EvalReport['runs']): Promise<EvalReport['runs']> {
  const out: EvalReport['runs'] = [];
  for (const o of runs) {
    const r = o.run;
    const t = r.status === 'finished' && r.summary?.partial ? targets.find((x) => x.version.id === r.promptId && x.version.version === r.version && (x.model ?? modelFor(project, x.version)) === r.model && x.onlyCases?.has(r.suite)) : undefined;
    const suite = t?.suites.find((s) => s.name === r.suite);
    const merged = t && suite ? await asLastRan(registry, project, t, suite, r.model) : undefined;
    // Cases of the suite with no result yet (no complete run of this content: a quick --sample or
    // --case check of a new draft): nothing to merge into, so the selection is judged on its own.
    out.push(merged && merged.notRun === 0 ? { ...o, asLastRan: merged } : o);
  }
  return out;
}
