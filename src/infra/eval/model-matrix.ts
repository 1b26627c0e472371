import type { PlannedRun } from '../../core/eval/plan.js';
import type { ServedAs } from '../../core/served-weights.js';
import { modelOf } from '../../core/eval/request-params.js';
import type { ModelSettings } from '../../core/schemas/common.js';
import type { Project, PromptFile } from '../project.js';
import type { SessionTarget } from './session-plan.js';

/**
 * The model matrix: `eval --model a --model b` or `server.models: [a, b]` runs every version on
 * every model, one run per version × suite × model, each with its own tested mark. A version that
 * pins `model.model` runs on its pin alone: the pin says the prompt was written for that model
 * (precedence: the version's pin, then the environment's model, then `server.model`). A LoRA
 * adapter is a model like any other, under the name the server serves it by.
 */

/** The models asked for, without repeats; undefined when none is (one model per version, as before). */
export function matrixOf(project: Pick<Project, 'config'>, asked: readonly string[]): string[] | undefined {
  const models = [...new Set(asked.length ? asked : (project.config.server.models ?? []))];
  return models.length ? models : undefined;
}

/** The models one version runs on. */
export function modelsForVersion(project: Pick<Project, 'config'>, v: Pick<PromptFile, 'data'>, matrix: readonly string[] | undefined): string[] {
  return modelsOn(project, v.data.model, matrix);
}

/**
 * The models a plain `promptctl eval` (no `--model`) runs a version on, from its own `model:`
 * settings (a registered version's too, its file gone or elsewhere): what the advice of a gate or
 * status asks before naming `--model` (core/deployed-model.ts evalModelFlag).
 */
export function plainEvalModels(project: Pick<Project, 'config'>, own: Partial<ModelSettings> | undefined): string[] {
  return modelsOn(project, own, matrixOf(project, []));
}

function modelsOn(project: Pick<Project, 'config'>, own: Partial<ModelSettings> | undefined, matrix: readonly string[] | undefined): string[] {
  if (own?.model !== undefined || !matrix) return [modelOf(project.config, own)];
  return [...matrix];
}

/** Each target once per model of the matrix (unchanged without one). */
export function withModels(project: Project, targets: SessionTarget[], matrix: readonly string[] | undefined): SessionTarget[] {
  if (!matrix) return targets;
  return targets.flatMap((t) => modelsForVersion(project, t.version, matrix).map((model) => ({ ...t, model })));
}

/** What the server says each model is (`root`, and for an adapter `parent` and its root), recorded with the runs on it. */
export function recordServedAs(planned: PlannedRun[], servedAs: ReadonlyMap<string, ServedAs>): void {
  for (const run of planned) {
    const as = servedAs.get(run.model);
    if (as?.root || as?.parent) run.served = { ...(as.root ? { root: as.root } : {}), ...(as.parent ? { parent: as.parent } : {}), ...(as.parentRoot ? { parentRoot: as.parentRoot } : {}) };
  }
}
