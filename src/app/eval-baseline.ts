import { activeDeployment } from '../infra/deployments.js';
import { fileModelIn, servedAs } from '../infra/environment-model.js';
import type { SessionTarget } from '../infra/eval/session-plan.js';
import { countingRun, modelFor, suiteTarget } from '../infra/eval/suite-target.js';
import { suitesFor } from '../infra/eval/targets.js';
import type { Project, SuiteFile } from '../infra/project.js';
import type { Registry } from '../infra/registry/types.js';
import type { RunOutcome } from '../core/schemas/report.js';
import { settingsOf } from '../core/eval/request-params.js';
import { settingsKey } from '../core/eval/settings-key.js';
import { InputError } from '../core/errors.js';
import { optionWithValue, type OptionNames } from '../core/option-names.js';
import { didYouMean } from '../core/suggest.js';

/** `--baseline` / `baseline` (eval, ci) names one of the project's environments: exit 2 otherwise, with the closest. */
export function requireBaselineEnvironment(project: Project, baseline: string, names: OptionNames): void {
  const envs = project.config.environments.map((e) => e.name);
  if (envs.includes(baseline)) return;
  throw new InputError({ message: `${optionWithValue(names, 'baseline', baseline)} is not an environment`, hint: `${didYouMean(baseline, envs)}environments in .promptrc.yaml: ${envs.join(', ')}` });
}

/**
 * The comparison with the baseline environment never lacks a side: a candidate is also evaluated on
 * the model that environment would serve it on (`environments[].model`: the deploy gate judges it
 * there), and a deployed version without counting runs of these suites on the model it is served
 * with is evaluated too (its answers are usually cached).
 */
export async function baselineTargets(reader: Registry, project: Project, targets: SessionTarget[], baseline: string): Promise<SessionTarget[]> {
  const out = [...targets];
  for (const t of targets) {
    const envModel = fileModelIn(project, t.version, baseline);
    const runsOn = (v: SessionTarget['version'], model: string) => out.some((x) => x.version === v && (x.model ?? modelFor(project, x.version)) === model);
    if (!runsOn(t.version, envModel)) out.push({ ...t, model: envModel });
    const event = await activeDeployment(reader, t.version.id, baseline);
    const file = event ? project.prompts.find((p) => p.id === t.version.id && p.version === event.version) : undefined;
    if (!file) continue;
    // Served under the settings its deploy recorded: its runs must be under those, which the
    // config's would not send (a `defaults` change since), so it runs with the recorded request.
    const { model, params, settings, changed } = servedAs(project.config, event, file);
    if (runsOn(file, model) && !changed) continue;
    const covering = suitesFor(project, file);
    const missing: SuiteFile[] = [];
    for (const s of t.suites) {
      // Whether a run exists: the same where marks are signed (stored-runs.ts `countedRun`: a deployed version's signed mark names one of its runs, else its newest counts).
      if (covering.includes(s) && !(await countingRun(reader, suiteTarget(file, s, model, project.config, settings)))) missing.push(s);
    }
    if (missing.length) out.push({ version: file, suites: missing, ...(model !== modelFor(project, file) ? { model } : {}), ...(params ? { params } : {}), comparison: baseline });
  }
  return out;
}

/**
 * Which of an invocation's runs are a deployed version's, made only for the comparison (targets
 * with `comparison`), and of which environment: they are named `[as deployed in env]` (beside the
 * candidate's run of the same version under the config's settings, two rows are told apart) and
 * gate nothing. A run is found by its version, model and request settings.
 */
export function comparisonRunsOf(project: Project, targets: readonly SessionTarget[]): (o: RunOutcome) => string | undefined {
  const runOf = (id: string, version: string, model: string, key: string | undefined) => JSON.stringify([id, version, model, key ?? null]);
  const envOf = new Map<string, string>();
  for (const t of targets) {
    if (!t.comparison) continue;
    const model = t.params?.model ?? t.model ?? modelFor(project, t.version);
    const key = t.params ? settingsKey(t.params) : settingsOf(project.config, t.version.data.model, model);
    envOf.set(runOf(t.version.id, t.version.version, model, key), t.comparison);
  }
  return (o) => envOf.get(runOf(o.run.promptId, o.run.version, o.run.model, o.run.summary?.settings));
}
