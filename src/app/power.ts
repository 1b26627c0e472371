import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { effectiveParams, modelOf } from '../core/eval/request-params.js';
import { ASSUMED_PASS_RATE, noiseEstimate, planPower, PLANNED_POWER, type NoiseBasis, type PowerRow, type RecordedCase } from '../core/power-plan.js';
import type { ModelSettings } from '../core/schemas/common.js';
import type { RunRecord } from '../core/schemas/run.js';
import { modelInEnvironment } from '../infra/environment-model.js';
import { countedRun, judgedFromSamples, suiteSpec } from '../infra/eval/stored-runs.js';
import { byRecency, modelFor, suiteCases, suiteTarget } from '../infra/eval/suite-target.js';
import { suitesFor } from '../infra/eval/targets.js';
import { loadProject, type Project, type PromptFile, type SuiteFile } from '../infra/project.js';
import { withRegisteredForms } from '../infra/registered-form.js';
import { requireValid, versionsOf } from '../infra/project-query.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import { registryFileAbsent } from '../infra/registry-path.js';
import { appContext, type AppOptions } from './context.js';
import { parseOptions } from './options.js';
import { requireEnv } from './require.js';

/**
 * `power`: planning help for the paired regression check (issue 13 item 5). How many cases a
 * suite needs for its check to catch a true drop of twice the limit 80% of the time, in each
 * environment (its max_pass_rate_drop and confidence), how many it has, and the smallest drop it
 * catches now. The baseline pass rate and the noise come from the suite's newest counting run,
 * when there is one, on the model the version runs on in the environment asked about (the gates'
 * resolution: its `environments[].model`), else on the project's model. Reads only; contacts no server.
 */

export const PowerOptions = z.object({
  /** `<prompt>/<suite>`, or a suite name only one prompt has. */
  suite: z.string().min(1),
  /** One environment; every configured one by default. */
  environment: z.string().optional(),
});
export type PowerOptions = z.input<typeof PowerOptions>;

export interface PowerResult {
  promptId: string;
  suite: string;
  kind: 'golden' | 'adversarial';
  /** The suite's file, relative to the project root: where `repeat` is set. */
  file: string;
  /** Samples per case the suite declares (`repeat`): only a run at this count counts, and so measures the noise. */
  repeat: number;
  /** Cases the suite runs now (attack-pack cases included). */
  cases: number;
  /** The chance of a regression verdict planned for. */
  power: number;
  /** The model the baseline is read on: the version's in the environment asked about (`--env`), else the project's. */
  model: string;
  /** Whether a plain eval of the version would run on another model than `model` (an eval that records the run takes `--model`). */
  evalNeedsModel?: true;
  /** The run the estimates come from, on `model`; absent when the suite has none there (then the pass rate is assumed). */
  run?: { id: string; version: string; model: string; cases: number; endedAt?: string; repeats: boolean };
  /** Baseline pass rate, a fraction: measured by `run`, else ASSUMED_PASS_RATE. */
  passRate: number;
  passRateAssumed: boolean;
  /** registry.path (as .promptrc.yaml names it) when no file is there: nothing recorded was read, or the path is misspelt. */
  noRegistry?: string;
  /** The version's sampling temperature (the run's version, else the highest one the suite covers). */
  temperature: number;
  /** Suites the version is judged on together (Holm's family): the suites that apply to it. */
  familySize: number;
  /** Share of cases expected to change verdict between two runs of the same prompt, and how it was estimated. */
  discordance: number;
  noise: NoiseBasis;
  environments: PowerRow[];
}

/**
 * The suite `<prompt>/<suite>` names, or the only one with that name; exit 2 naming the suites
 * otherwise, or with the problems of its file when it exists but does not load.
 */
export function findSuite(project: Pick<Project, 'suites' | 'problems'>, ref: string): SuiteFile {
  const slash = ref.indexOf('/');
  const name = slash < 0 ? ref : ref.slice(slash + 1);
  const matches = project.suites.filter((s) => (slash < 0 ? s.name === ref : s.promptId === ref.slice(0, slash) && s.name === ref.slice(slash + 1)));
  if (matches.length === 1) return matches[0]!;
  const broken = project.problems.filter((p) => p.severity === 'error' && /(^|[\\/])evalsets[\\/]/.test(p.file) && path.basename(p.file).replace(/\.ya?ml$/, '') === name);
  if (!matches.length && broken.length) requireValid(project as Project, [...new Set(broken.map((p) => p.file))]);
  const all = project.suites.map((s) => `${s.promptId}/${s.name}`).sort();
  throw new InputError({
    message: matches.length ? `"${ref}" names a suite of ${matches.length} prompts: say which, as <prompt>/<suite>` : `unknown suite "${ref}"`,
    why: all.length ? `the suites are: ${all.join(', ')}` : 'the project has no suites (evalsets/<prompt>/<suite>.yaml).',
    hint: `promptctl power <prompt>/<suite>, e.g. promptctl power ${all[0] ?? 'support-answer/golden'}`,
  });
}

/** The newest counting run of the suite among the versions it covers, each on its model (`modelOfVersion`), with its version. */
async function newestRun(project: Project, registry: ReturnType<typeof openProjectRegistry>, suite: SuiteFile, versions: PromptFile[], modelOfVersion: (v: PromptFile) => string) {
  const found = new Map<RunRecord, PromptFile>();
  for (const v of versions) {
    const run = await countedRun(registry, project.config.signing, suiteTarget(v, suite, modelOfVersion(v), project.config), suite);
    if (run) found.set(run, v);
  }
  const newest = byRecency([...found.keys()]).at(-1);
  return newest && { run: newest, version: found.get(newest)! };
}

export async function power(opts: PowerOptions & AppOptions): Promise<PowerResult> {
  const o = parseOptions('power', PowerOptions, opts);
  const c = appContext(opts);
  const project = loadProject(c.cwd, { env: c.env, optionNames: c.optionNames });
  await withRegisteredForms(project, { env: c.env, clock: c.clock, signal: c.signal });
  const suite = findSuite(project, o.suite);
  const envs = o.environment ? [requireEnv(project, o.environment)] : project.config.environments;
  const versions = versionsOf(project, suite.promptId).filter((v) => suitesFor(project, v).includes(suite));
  const registry = openProjectRegistry(project, { readonly: true, env: c.env, clock: c.clock, signal: c.signal });
  // No file at registry.path: a project that has recorded nothing yet plans with the assumed pass
  // rate (README), but says where it looked, since a misspelt path reads the same way (status,
  // history and get refuse it: they only show what is recorded).
  const noRegistry = registryFileAbsent(project, c.env) ? project.config.registry.path : undefined;
  // One environment's check compares runs on the model it serves the version on (as its gates read
  // them); several, the project's model. Before, --env read the project's model's run.
  const modelIn = (own: Partial<ModelSettings> | undefined) => (o.environment ? modelInEnvironment(project.config, own, o.environment) : modelOf(project.config, own));
  const modelOfVersion = (v: PromptFile) => modelIn(v.data.model);
  try {
    const found = await newestRun(project, registry, suite, versions, modelOfVersion);
    let recorded: RecordedCase[] | undefined;
    let passRate = ASSUMED_PASS_RATE;
    if (found) {
      const { summary, cases } = await judgedFromSamples(registry, found.run, suite);
      const minPassRate = new Map(suiteSpec(suite).cases.map((s) => [s.id, s.minPassRate]));
      recorded = cases.map((f) => ({ passes: f.passes, samples: f.samples, minPassRate: minPassRate.get(f.id) ?? 1 }));
      passRate = summary.passRate;
    }
    const version = found?.version ?? versions[0];
    const model = modelIn(version?.data.model);
    const temperature = version ? effectiveParams(project.config.server.model, project.config.defaults, version.data.model ?? {}).temperature : 0;
    const noise = noiseEstimate(recorded, passRate, temperature);
    const cases = suiteCases(suite).length;
    const familySize = version ? suitesFor(project, version).length : 1;
    const environments = planPower({
      cases,
      familySize,
      passRate,
      discordance: noise.discordance,
      policies: envs.map((e) => ({ env: e.name, maxDrop: e.gates.max_pass_rate_drop, confidence: e.gates.confidence, method: e.gates.regression_method })),
    });
    return {
      promptId: suite.promptId,
      suite: suite.name,
      kind: suite.data.kind,
      file: suite.file,
      repeat: suite.data.repeat,
      cases,
      power: PLANNED_POWER,
      model,
      ...(version && model !== modelFor(project, version) ? { evalNeedsModel: true as const } : {}),
      ...(found
        ? { run: { id: found.run.id, version: found.version.version, model: found.run.model, cases: recorded!.length, endedAt: found.run.endedAt, repeats: recorded!.some((r) => r.samples > 1) } }
        : {}),
      passRate,
      passRateAssumed: !found,
      ...(noRegistry !== undefined ? { noRegistry } : {}),
      temperature,
      familySize,
      discordance: noise.discordance,
      noise: noise.basis,
      environments,
    };
  } finally {
    await registry.close();
  }
}
