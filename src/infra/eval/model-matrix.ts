import type { PlannedRun } from '../../core/eval/plan.js';
import type { ServedAs } from '../../core/served-weights.js';
import type { Project, PromptFile } from '../project.js';
import type { SessionTarget } from './session-plan.js';
import { modelFor } from './suite-target.js';

/**
 * The model matrix: `eval --model a --model b` or `server.models: [a, b]` runs every version on
 * every model, one run per version × suite × model, each with its own tested mark. A version that
 * pins `model.model` runs on its pin alone: the pin says the prompt was written for that model
 * (precedence: the version's pin, then the environment's model, then `server.model`). A LoRA
 * adapter is a model like any other, under the name the server serves it by.
 */

/** The models asked for, without repeats; undefined when none is (one model per version, as before). */
export function matrixOf(project: Project, asked: readonly string[]): string[] | undefined {
  const models = [...new Set(asked.length ? asked : (project.config.server.models ?? []))];
  return models.length ? models : undefined;
}

/** The models one version runs on. */
export function modelsForVersion(project: Project, v: Pick<PromptFile, 'data'>, matrix: readonly string[] | undefined): string[] {
  const pin = v.data.model?.model;
  if (pin !== undefined || !matrix) return [modelFor(project, v)];
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
