import { z } from 'zod';
import { comparisonRow, orderRows, type ChangeKind, type ComparisonRow } from '../core/compare.js';
import { InputError, InterruptedError, UnavailableError } from '../core/errors.js';
import { modelsShown, parseModelRef, secondSide, sideLabel } from '../core/model-ref.js';
import type { CaseOutcome, RunOutcome } from '../core/schemas/report.js';
import { checkedPhases, type ProgressCallback } from './progress.js';
import { missingRunsError, storedOutcomes, type StoredVersion } from '../infra/eval/stored-runs.js';
import { requireSuites } from '../infra/eval/targets.js';
import { COMPARED_WHY, comparedFiles, requireSoundPromptFiles } from './sound-files.js';
import { matrixOf } from '../infra/eval/model-matrix.js';
import { loadProject, type Project } from '../infra/project.js';
import { withRegisteredForms } from '../infra/registered-form.js';
import { lookupIfPresent } from '../infra/project-query.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import type { RegistryAccess } from '../infra/registry-access.js';
import { requireEditableVersions } from '../infra/version-states.js';
import { outcomesOnOneScorer } from './compare-scorers.js';
import { otherMatrixModels, otherWeightsNotes, sameVersionTwice, sharedSuites, sideOf, type Side } from './compare-sides.js';
import { appContext, type AppOptions } from './context.js';
import { callback, parseOptions } from './options.js';
import { runEval, type EvalResult } from './eval.js';
import { namedInRef, UnservedModelError } from './unserved-model.js';
import { outcomesWithInputs, type CaseVars } from './report-inputs.js';

/**
 * `compare`: both versions' outputs and verdicts for the same cases, from stored runs: each
 * version's counting run of each suite on the suite's current content. Only a version/suite
 * without one is evaluated (its answers usually come from the cache); with everything stored, the
 * server is not contacted and nothing is written. `eval: false` never evaluates: a missing run is
 * exit 2 naming the `promptctl eval` to run.
 */

export const CompareOptions = z.object({
  a: z.string(),
  b: z.string(),
  suite: z.array(z.string()).default([]),
  /** false (`--no-eval`): read stored runs only, never contact the server. */
  eval: z.boolean().default(true),
});
export type CompareOptions = z.input<typeof CompareOptions>;

export interface CompareRunOptions extends CompareOptions, AppOptions {
  /** Progress of each evaluation of what had no stored run; `start`/`stop` bracket each one. */
  onProgress?: ProgressCallback;
  /** Called before and after each evaluation (the CLI starts and stops its progress view). */
  onEvaluation?: (phase: 'start' | 'stop') => void | Promise<void>;
}

export interface CompareResult {
  promptId: string;
  /** The versions compared; `version:model` when a side named its model (`id@version:model`), the sides' models differ, or the project lists several (`server.models`). */
  a: string;
  b: string;
  /** Each run compared, and whether this call evaluated it (rather than reading it stored). */
  runs: Array<{ version: string; suite: string; runId: string; evaluated: boolean; /** When the sides are shown with their models (as `a` and `b` are). */ model?: string }>;
  notes: string[];
  /**
   * Case by case, in review order: regressions, fixes, other verdict changes, changed outputs (text
   * or tool calls, of any sample, or a changed sample pass count), identical. Each side shows its
   * shown sample (core/compare.ts shownSample: a passed case's first passing one, another's first failing one) and, with several samples, its pass count.
   */
  rows: Array<ComparisonRow & { change: ChangeKind; vars?: CaseVars; turns?: CaseOutcome['turns'] }>;
}

/** Evaluates only the suites a side lacks, on its model, and returns their outcomes. */
async function evaluateMissing(opts: CompareRunOptions, side: Side, lacking: StoredVersion, label: string): Promise<RunOutcome[]> {
  const ref = `${lacking.version.id}@${lacking.version.version}`;
  const names = lacking.missing.map((m) => m.name);
  // The side as the result names it (`1.2.0`, or `1.2.0:model` whenever the model could be in doubt).
  const shown = `${lacking.version.id}@${label}`;
  // The eval to run again, as the caller writes it: the command, or the use case a script calls.
  const again =
    opts.optionNames === 'flags'
      ? `promptctl eval ${ref}${side.evalOn ? ` --model ${side.evalOn}` : ''} --resume`
      : `runEval({ refs: ${JSON.stringify([ref])}${side.evalOn ? `, model: ${JSON.stringify([side.evalOn])}` : ''}, resume: true })`;
  await opts.onEvaluation?.('start');
  let report;
  try {
    ({ report } = await runEval({ refs: [ref], suite: names, ...(side.evalOn ? { model: [side.evalOn] } : {}), cwd: opts.cwd, env: opts.env, clock: opts.clock, signal: opts.signal, optionNames: opts.optionNames, onProgress: opts.onProgress }));
  } catch (e) {
    namedModelServed(e, side);
    if (!(e instanceof InterruptedError)) throw e;
    const aborted = (e.partial as EvalResult | undefined)?.report.aborted ?? 'interrupted';
    throw new InterruptedError({
      signal: e.signal,
      message: `compare stopped: evaluating ${shown} (${names.join(', ')}) ended early: ${aborted}`,
      why: 'the results so far are recorded, but a comparison needs every case of both versions.',
      hint: `run ${again} and compare again.`,
      // What was kept: the eval's own partial result (the side's runs so far), as runEval's InterruptedError holds it.
      partial: e.partial,
    });
  } finally {
    await opts.onEvaluation?.('stop');
  }
  if (report.aborted) {
    throw new UnavailableError({
      message: `compare stopped: evaluating ${shown} (${names.join(', ')}) ended early: ${report.aborted}`,
      why: 'the results so far are recorded, but a comparison needs every case of both versions.',
      hint: `check the server, then run ${again} and compare again.`,
    });
  }
  return report.runs.filter((r) => r.run.version === side.file.version && r.run.model === side.model && names.includes(r.run.suite));
}

/**
 * A model named in a side (`id@1.0.0:nope`) that the server does not serve: eval's refusal
 * (unserved-model.ts, exit 2) named by the ref the user wrote, not by the --model compare passed.
 */
function namedModelServed(e: unknown, side: Side): void {
  if (!(e instanceof UnservedModelError) || side.ref.model === undefined || e.model !== side.ref.model) return;
  throw new UnservedModelError(e.model, e.served, namedInRef({ id: side.ref.id, version: side.ref.version ?? side.file.version, model: side.ref.model }), e.cause);
}

async function readStored(project: Project, access: RegistryAccess, sides: Side[], only: string[], notes: string[]): Promise<StoredVersion[]> {
  // Read-only: a project without a registry reads as an empty one, and no file is created.
  const registry = openProjectRegistry(project, { readonly: true, ...access });
  try {
    await requireEditableVersions(registry, sides.map((s) => s.file), project);
    const stored: StoredVersion[] = [];
    for (const s of sides) stored.push(await storedOutcomes(registry, project, s.file, notes, only, s.model));
    return stored;
  } finally {
    await registry.close();
  }
}

/** Two sides' stored outcomes compared case by case, judged by one scorer, in review order (ci's model-upgrade check). */
export async function compareOutcomes(project: Project, access: RegistryAccess, sides: [RunOutcome[], RunOutcome[]], notes: string[]): Promise<Array<ComparisonRow & { change: ChangeKind }>> {
  const [outA, outB] = await outcomesOnOneScorer(project, access, sides, notes);
  return orderRows(rowsOf(outA, outB)).map((r) => ({ ...r.row, change: r.kind }));
}

function rowsOf(outcomesA: RunOutcome[], outcomesB: RunOutcome[]): Array<ComparisonRow & { vars?: CaseVars; turns?: CaseOutcome['turns'] }> {
  const casesOf = (outcomes: RunOutcome[]) => {
    const map = new Map<string, CaseOutcome>();
    for (const r of outcomes) for (const c of r.cases) map.set(`${r.run.suite}/${c.caseId}`, c);
    return map;
  };
  const ca = casesOf(outcomesA);
  const cb = casesOf(outcomesB);
  return [...ca.keys()]
    .filter((k) => cb.has(k))
    .map((k) => {
      const [suite, caseId] = [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)];
      const x = ca.get(k)!;
      const y = cb.get(k)!;
      // Each side's shown sample (core/compare.ts shownSample, as the HTML report shows): its text, tool calls and reasons.
      const row = comparisonRow(suite, caseId, x, y);
      // Both sides ran the suite's current content, so they were asked the same (a conversation's turns too).
      const asked = y.vars ? y : x;
      return asked.vars ? { ...row, vars: asked.vars, ...(asked.turns ? { turns: asked.turns } : {}) } : row;
    });
}

export async function compare(opts: CompareRunOptions): Promise<CompareResult> {
  const parsed = parseOptions('compare', CompareOptions, opts, { onProgress: callback, onEvaluation: callback });
  const a = parseModelRef(parsed.a, { requireVersion: true });
  const b = secondSide(a, parsed.b);
  if (a.id !== b.id) throw new InputError({ message: `compare needs two versions of one prompt, got ${a.id} and ${b.id}` });
  const project = loadProject(opts.cwd, { promptIds: [a.id], env: appContext(opts).env, optionNames: appContext(opts).optionNames });
  await withRegisteredForms(project, { env: appContext(opts).env, clock: appContext(opts).clock, signal: appContext(opts).signal });
  const lookup = lookupIfPresent(project, appContext(opts).env);
  const sides = [await sideOf(project, a, lookup), await sideOf(project, b, lookup)] as const;
  if (a.version === b.version && sides[0].model === sides[1].model) {
    if (!a.model && !b.model) throw sameVersionTwice(project, a.id, sides[0].file.version, 'compare');
    throw new InputError({
      message: `compare needs two different versions, or one version on two models, got ${a.version} on ${sides[0].model} twice`,
      hint: `to compare models, name two: promptctl compare ${a.id}@${a.version}:<old-model> ${a.id}@${a.version}:<new-model>.`,
    });
  }
  const optionNames = appContext(opts).optionNames;
  // A suite file that does not load is in no side's runs: refused, as eval refuses it, not left out.
  await requireSoundPromptFiles(project, [a.id], { env: appContext(opts).env, why: COMPARED_WHY, compared: comparedFiles(project, sides.map((s) => s.file), parsed.suite) });
  requireSuites(project, sides.map((s) => s.file), { only: parsed.suite, optionNames });
  const notes: string[] = [];
  // As shown: `1.2.0`, or `1.2.0:model` whenever which model ran could be in doubt.
  const matrix = matrixOf(project, []);
  const shown = modelsShown(sides, matrix);
  const labels = sides.map((s) => sideLabel(s.ref, shown ? s.model : undefined)) as [string, string];
  notes.push(...otherMatrixModels(sides, matrix));
  const stored = await readStored(project, appContext(opts), [...sides], sharedSuites(project, sides, labels, { only: parsed.suite, optionNames }, notes), notes);
  if (stored.some((s) => s.missing.length) && !parsed.eval) throw missingRunsError(optionNames === 'flags' ? 'compare --no-eval' : 'compare (eval: false)', stored);
  const evaluated = new Set<string>();
  const sideOutcomes: RunOutcome[][] = [];
  const onEvaluation = checkedPhases(opts.onEvaluation, { signal: opts.signal, onProgress: opts.onProgress });
  for (const [i, side] of sides.entries()) {
    const got = stored[i]!.missing.length ? await evaluateMissing({ ...opts, onEvaluation }, side, stored[i]!, labels[i]!) : [];
    for (const o of got) evaluated.add(o.run.id);
    sideOutcomes.push([...stored[i]!.outcomes, ...got]);
  }
  // Both sides judged by one scorer, then given their cases' variables.
  const aligned = await outcomesOnOneScorer(project, appContext(opts), sideOutcomes as [RunOutcome[], RunOutcome[]], notes);
  const [outA, outB] = aligned.map((o) => outcomesWithInputs(project, o)) as [RunOutcome[], RunOutcome[]];
  // Other weights behind the model name on the two sides: said, as the deploy gate says it.
  notes.push(...otherWeightsNotes({ promptId: a.id, versions: [sides[0].file.version, sides[1].file.version], labels, evalOn: sides[0].evalOn }, [outA, outB]));
  const runs = [...outA, ...outB].map((o) => ({ version: o.run.version, suite: o.run.suite, runId: o.run.id, evaluated: evaluated.has(o.run.id), ...(shown ? { model: o.run.model } : {}) }));
  // orderRows hands back the rows it was given (their variables included), in review order.
  const rows = orderRows(rowsOf(outA, outB)).map((r) => ({ ...r.row, change: r.kind }));
  return { promptId: a.id, a: labels[0], b: labels[1], runs, notes, rows };
}
