import { InputError } from '../core/errors.js';
import { promptRefsAmong, versionsAfterListOption } from '../core/list-options.js';
import { optionWithValue, type OptionNames } from '../core/option-names.js';
import { isSelecting, parseSample } from '../core/eval/select.js';
import { narrowToFailing, type NothingFailing } from '../infra/eval/failing.js';
import { matrixOf, withModels } from '../infra/eval/model-matrix.js';
import { judgeModelsOf } from '../infra/eval/session.js';
import type { SessionTarget } from '../infra/eval/session-plan.js';
import { modelFor } from '../infra/eval/suite-target.js';
import { requireSuites } from '../infra/eval/targets.js';
import type { ModelClient } from '../infra/model/types.js';
import type { Project, PromptFile } from '../infra/project.js';
import { knownPromptIds } from '../infra/project-query.js';
import type { Registry } from '../infra/registry/types.js';
import type { NotEvaluated } from '../core/schemas/report.js';
import { serverTakesN } from '../infra/eval/n-probe.js';
import { baselineTargets } from './eval-baseline.js';
import { interruptedBeforeRuns } from './eval-verdict.js';
import { selectTargets } from './eval-selection.js';
import { refuseEverySuiteGone } from './eval-gone.js';
import { unservedAsInput } from './unserved-model.js';

/** What an eval sends, and to which models: its targets before anything is registered or sent. */

/** The options of `runEval` that choose what runs. */
export interface TargetOptions {
  suite: string[];
  /** How refusals name the options above (the caller's, app/context.ts). */
  optionNames: OptionNames;
  model: string[];
  baseline?: string;
  filterFailing: boolean;
  case: string[];
  tag: string[];
  sample?: string | number;
}

/**
 * Versions and suites to run: the asked ones, the baseline's missing runs, narrowed by
 * --filter-failing. `reader` opens the registry read-only, called only when --baseline or
 * --filter-failing must read it.
 */
export async function targetsOf(project: Project, reader: () => Registry, versions: PromptFile[], opts: TargetOptions & { named: boolean }): Promise<{ targets: SessionTarget[]; unnarrowed: SessionTarget[]; nothingFailing: NothingFailing[]; notEvaluated: NotEvaluated[] }> {
  refuseVersionsAsModels(project, opts.model, opts.optionNames);
  // Versions the user named must each have a suite (else exit 2); of every prompt's highest, those without one are said.
  // Refused for suites that are gone, they are named, not said as if none had been written.
  await refuseEverySuiteGone(project, reader, versions, { suite: opts.suite, model: opts.model, named: opts.named });
  const withSuites = requireSuites(project, versions, { only: opts.suite, optionNames: opts.optionNames }, { eachNamed: opts.named });
  const notEvaluated = withSuites.filter((t) => !t.suites.length).map((t) => ({ ref: `${t.version.id}@${t.version.version}`, why: opts.suite.length ? `no suite applies (with ${optionWithValue(opts.optionNames, 'suite', opts.suite)})` : 'no suite applies' }));
  let targets: SessionTarget[] = withModels(project, withSuites.filter((t) => t.suites.length), matrixOf(project, opts.model));
  let nothingFailing: NothingFailing[] = [];
  if (opts.baseline) targets = await baselineTargets(reader(), project, targets, opts.baseline);
  // What would run but for --filter-failing: with nothing failing, the report still names its models.
  const unnarrowed = targets;
  const selection = { cases: opts.case, tags: opts.tag, sample: parseSample(opts.sample, opts.optionNames) };
  if (opts.filterFailing && isSelecting(selection)) {
    // The selection is checked against every case, failing or not: an id or a tag no case has, or a
    // selection that matches no case, is exit 2; one that matches only passing cases is nothing to re-run.
    const selected = selectTargets(unnarrowed, selection, opts.optionNames);
    ({ targets, nothingFailing } = await narrowToFailing(reader(), project, targets));
    targets = selectTargets(targets, selection, opts.optionNames, { checked: true });
    if (!targets.length) nothingFailing = [...nothingFailing, ...selectedPassing(project, selected, nothingFailing)];
    return { targets, unnarrowed, nothingFailing, notEvaluated };
  }
  if (opts.filterFailing) ({ targets, nothingFailing } = await narrowToFailing(reader(), project, targets));
  targets = selectTargets(targets, selection, opts.optionNames);
  return { targets, unnarrowed, nothingFailing, notEvaluated };
}

/** The suites whose selected cases all passed, though others of the suite did not: named as such beside the suites with nothing failing. */
function selectedPassing(project: Project, selected: SessionTarget[], nothingFailing: readonly NothingFailing[]): NothingFailing[] {
  const named = new Set(nothingFailing.map((n) => `${n.promptId}@${n.version} ${n.suite} ${n.model}`));
  return selected.flatMap((t) => {
    const model = t.model ?? modelFor(project, t.version);
    return t.suites.filter((s) => !named.has(`${t.version.id}@${t.version.version} ${s.name} ${model}`)).map((s) => ({ promptId: t.version.id, version: t.version.version, suite: s.name, model, selected: true as const }));
  });
}

/**
 * `--model` takes every word after it: `eval --model m support-answer@1.0.0` read the version as a
 * model name and stopped on the server ("not served", exit 3) instead of saying what went wrong.
 */
function refuseVersionsAsModels(project: Project, models: readonly string[], names: OptionNames): void {
  const ids = new Set(knownPromptIds(project));
  const taken = promptRefsAmong(models, (id) => ids.has(id));
  if (!taken.length) return;
  if (names === 'flags') throw versionsAfterListOption({ command: 'eval', flag: '--model', values: models, taken, noun: 'a model', readAs: 'a model name' });
  // A script's list holds what it put there: no word order to advise on, as eval-selection.ts says of case and tag.
  throw new InputError({
    message: `${optionWithValue(names, 'model', models)} holds ${taken.map((r) => `"${r}"`).join(', ')}, ${taken.length === 1 ? 'a prompt version' : 'prompt versions'}, not ${taken.length === 1 ? 'a model' : 'models'}`,
    hint: 'name the versions in refs and the models, by the names the server serves them under, in model',
  });
}

/** Every model the run will ask for: the versions' own and any judge's. */
export function modelsOf(project: Project, targets: SessionTarget[]): Set<string> {
  const models = new Set(targets.map((t) => t.model ?? modelFor(project, t.version)));
  const { judgeModel, safetyJudgeModel } = judgeModelsOf(project);
  for (const t of targets) {
    for (const s of t.suites) {
      // A configured judge model also grades refusal and compliance: attacks in adversarial suites,
      // and `refusal`/`no-compliance` expectations of any suite (the executor asks it for every one).
      if (s.data.kind === 'adversarial' && safetyJudgeModel) models.add(safetyJudgeModel);
      for (const c of s.data.cases) {
        for (const e of c.expect) {
          if (e.judge) models.add(e.judge.model ?? judgeModel);
          if (safetyJudgeModel && (e.refusal !== undefined || e['no-compliance'] !== undefined)) models.add(safetyJudgeModel);
        }
      }
    }
  }
  return models;
}

/**
 * Each model checked on the server in turn; a replica that is down or unfit is left out (named once),
 * only all of them down stops the eval. `signal` stops the check at once: InterruptedError, not
 * "server unreachable" (a server that never answers would otherwise hold it for the check's timeout).
 * A model no replica serves is bad input or config (exit 2, unserved-model.ts), named by the
 * project's setting or `--model`.
 */
export async function preflightAll(client: ModelClient, models: Iterable<string>, project: Project, signal?: AbortSignal, names: OptionNames = 'flags'): Promise<Array<[string, Awaited<ReturnType<ModelClient['preflight']>>]>> {
  const checked: Array<[string, Awaited<ReturnType<ModelClient['preflight']>>]> = [];
  for (const model of models) {
    try {
      checked.push([model, await unlessStopped(client.preflight(model, signal), signal)]);
    } catch (e) {
      throw await unservedAsInput(e, model, project, names);
    }
  }
  return checked;
}

/** The first of `models` on which the server answers no `n` choices from one request (asked once each), if any; `signal` stops the asking as it stops preflightAll. */
export async function firstWithoutN(client: ModelClient, models: Iterable<string>, signal?: AbortSignal): Promise<string | undefined> {
  for (const model of models) if (!(await unlessStopped(serverTakesN(client, model, signal), signal))) return model;
  return undefined;
}

/** `check`'s answer, or, when `signal` stopped it, the eval's interruption before its runs. */
async function unlessStopped<T>(check: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  try {
    const value = await check;
    if (signal?.aborted) throw interruptedBeforeRuns(signal, 'checking the server');
    return value;
  } catch (e) {
    if (signal?.aborted) throw interruptedBeforeRuns(signal, 'checking the server');
    throw e;
  }
}
