import type { EvalReport } from '../core/schemas/report.js';

/**
 * The model a version's tested mark is on, for "tested on …" (text and Markdown): the mark's own
 * model in a matrix, else the model its runs ran on. Not the report's `model`, which also names the
 * judges the eval asked (`sim-model,judge`), though no mark is on a judge.
 */
export function testedOn(report: Pick<EvalReport, 'model' | 'runs'>, v: { promptId: string; version: string; model?: string }): string {
  if (v.model !== undefined) return v.model;
  const models = new Set(report.runs.filter((o) => o.run.promptId === v.promptId && o.run.version === v.version && o.asDeployedIn === undefined).map((o) => o.run.model));
  return models.size ? [...models].join(',') : report.model;
}
