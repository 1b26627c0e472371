import { attackCategoryOf } from '../../core/attacks/expand.js';
import { modelOf, settingsOf } from '../../core/eval/request-params.js';
import { judgesOf } from '../../core/eval/grading.js';
import type { EvalCase } from '../../core/schemas/evalset.js';
import type { Project, PromptFile, SuiteFile } from '../project.js';
import { expandSuiteAttacks } from './attacks.js';
import type { SuiteTarget } from './counting-run.js';

export { byRecency, countingRun, regradedSuite, runsSinceCounting, type SuiteTarget } from './counting-run.js';

/** The model a version runs on: its own `model.model`, else the project's defaults, else the server's. */
export function modelFor(project: Project, v: Pick<PromptFile, 'data'>): string {
  return modelOf(project.config, v.data.model);
}

/** The cases an adversarial suite gains from its `attacks:` packs (none for a golden suite). */
export function generatedCases(s: SuiteFile): Array<{ case: EvalCase; category: string }> {
  return s.data.kind === 'adversarial' ? expandSuiteAttacks(s) : [];
}

/** Every case a suite runs, in order: its own, then the generated attack cases, with their category. */
export function suiteCases(s: SuiteFile): Array<{ case: EvalCase; category?: string }> {
  return [...s.data.cases.map((c) => ({ case: c, category: attackCategoryOf(c) as string | undefined })), ...generatedCases(s)];
}

/**
 * A suite of a version on a model (`modelFor` the version's file, or the model a gate judges on),
 * with the settings its runs send under `config` when the version's file is at hand, and the
 * graders `config` names.
 */
export function suiteTarget(v: Pick<PromptFile, 'id' | 'version' | 'hash'> & { data?: PromptFile['data'] }, s: SuiteFile, model: string, config?: Project['config'], served?: string): SuiteTarget {
  // `served`: the settings key a deployed version is served with (its deploy event), over the config's now.
  const settings = served !== undefined ? { settings: served } : config && v.data ? { settings: settingsOf(config, v.data.model, model) } : {};
  // Graded as the config grades now, a deployed version's runs too: both sides of a comparison are graded alike.
  const judges = config ? { judges: judgesOf(config) } : {};
  return { promptId: v.id, version: v.version, promptHash: v.hash, suite: s.name, suiteHash: s.hash, model, ...settings, ...judges };
}
