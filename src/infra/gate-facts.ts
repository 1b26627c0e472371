import { decideDeploy, type DeployGateInput, type GateDecision, type SuiteRunFacts } from '../core/gates.js';
import { previousEnvironment } from '../core/environments.js';
import type { Project, PromptFile } from './project.js';
import type { Registry } from './registry/types.js';
import { activeDeployment } from './deployments.js';
import { fileModelIn, servedBy } from './environment-model.js';
import { parseRegisteredContent } from '../core/registered-content.js';
import type { ModelSettings } from '../core/schemas/common.js';
import { countingRun, suiteTarget } from './eval/suite-target.js';
import { judgedFromSamples } from './eval/stored-runs.js';
import { suitesFor } from './eval/targets.js';
import { testedMarkThatCounts } from './signing.js';
import { latestMeasurement } from './eval/latency-measure.js';

/**
 * Gathers the facts a deploy gate needs from the registry and the files, and asks the pure
 * decision in core/gates. Shared by deploy, promote, eval --baseline and ci, so all of them judge
 * a version the same way.
 */

export { modelFor } from './eval/suite-target.js';

/**
 * Latest complete runs of a version (by content hash) on a model, one per suite that applies, of
 * each suite's current content only (its file hash, as the eval session records it): a run of an
 * older suite file measured something else, so it neither passes a gate nor serves as a baseline.
 */
export async function suiteRunFacts(registry: Registry, project: Project, v: { id: string; version: string; hash: string; file?: PromptFile }, model: string): Promise<SuiteRunFacts[]> {
  const file = v.file ?? project.prompts.find((p) => p.id === v.id && p.version === v.version);
  const suites = file ? suitesFor(project, file) : project.suites.filter((s) => s.promptId === v.id);
  const facts: SuiteRunFacts[] = [];
  for (const s of suites) {
    const run = await countingRun(registry, suiteTarget(v, s, model));
    if (!run?.summary) continue;
    const { summary, cases } = await judgedFromSamples(registry, run, s);
    facts.push({
      suite: s.name,
      kind: run.suiteKind,
      passRate: summary.passRate,
      p95: summary.latencyP95,
      piiLeaks: summary.piiLeaks ?? 0,
      systemPromptLeaks: summary.systemPromptLeaks ?? 0,
      ...(summary.resistance !== undefined ? { resistance: summary.resistance } : {}),
      passed: summary.verdict === 'passed',
      cases,
    });
  }
  return facts;
}


/** The deployed version's runs, and which suites apply to it (unknown when its file is gone). */
async function baselineFacts(registry: Registry, project: Project, id: string, version: string, hash: string, model: string): Promise<DeployGateInput['baseline']> {
  const file = project.prompts.find((p) => p.id === id && p.version === version);
  const suiteRuns = await suiteRunFacts(registry, project, { id, version, hash, file }, model);
  return file ? { version, suiteRuns, applicableSuites: suitesFor(project, file).map((s) => s.name) } : { version, suiteRuns };
}

/** The latest interleaved latency measurement of `v` against the deployed version, per suite of `v`. */
async function measurementsOf(registry: Registry, project: Project, v: PromptFile, baseline: { version: string; hash: string }, model: string): Promise<DeployGateInput['latencyMeasurements']> {
  const out: NonNullable<DeployGateInput['latencyMeasurements']> = [];
  for (const s of suitesFor(project, v)) {
    const arms = await latestMeasurement(registry, { id: v.id, version: v.version, hash: v.hash }, baseline, s, model);
    if (arms) out.push({ suite: s.name, kind: s.data.kind, ...arms });
  }
  return out;
}

export interface GateContext {
  decision: GateDecision;
  input: DeployGateInput;
  previousVersion: string | null;
  /** The deploy changes the model the environment serves (a model upgrade, or a version pinning another). */
  modelChange?: { from: string; to: string };
}

/**
 * `willRegister`: the caller registers an unknown version before deciding (a real deploy does), so
 * a dry run must judge it as registered too, or it would predict a refusal the deploy never makes.
 */
export async function evaluateDeployGates(
  registry: Registry,
  project: Project,
  v: PromptFile,
  env: string,
  edited: boolean,
  opts: { willRegister?: boolean; releasedIn?: readonly string[] } = {},
): Promise<GateContext> {
  const envs = project.config.environments;
  const envOrder = envs.map((e) => e.name);
  const envConfig = envs.find((e) => e.name === env)!;
  // The model this deploy would serve, and the one served now (a model upgrade is judged against it).
  const model = fileModelIn(project, v, env);
  const registered = await registry.getVersion(v.id, v.version);
  const activeEvent = await activeDeployment(registry, v.id, env);
  const active = activeEvent?.version ?? null;
  const previousEnv = previousEnvironment(envOrder, env);
  const deployedInPreviousEnv = previousEnv
    ? (await registry.listEvents({ promptId: v.id, env: previousEnv })).some((e) => e.version === v.version && e.action !== 'rollback')
    : false;
  const activeRecord = active ? await registry.getVersion(v.id, active) : undefined;
  const baselineHash = activeRecord?.contentHash;
  const servedModel = active && activeRecord ? servedBy(project.config, activeEvent, parseRegisteredContent<{ model?: Partial<ModelSettings> }>(activeRecord).model).model : model;
  const mark = await testedMarkThatCounts(registry, project.config.signing, v.id, v.version, v.hash, model);
  const baseFacts = active && baselineHash ? await baselineFacts(registry, project, v.id, active, baselineHash, servedModel) : undefined;
  const input: DeployGateInput = {
    promptId: v.id,
    version: v.version,
    env,
    envOrder,
    policy: envConfig.gates,
    model,
    registered: Boolean(registered),
    willRegister: !registered && Boolean(opts.willRegister),
    edited,
    ...(edited && opts.releasedIn ? { releasedIn: opts.releasedIn } : {}),
    testedMark: mark ? { model: mark.model, contentHash: mark.contentHash, source: mark.source } : undefined,
    currentHash: v.hash,
    deployedInPreviousEnv,
    suiteRuns: await suiteRunFacts(registry, project, { id: v.id, version: v.version, hash: v.hash, file: v }, model),
    applicableSuites: suitesFor(project, v).map((s) => s.name),
    baseline: baseFacts && servedModel !== model ? { ...baseFacts, model: servedModel } : baseFacts,
    latencyMeasurements: active && baselineHash && active !== v.version ? await measurementsOf(registry, project, v, { version: active, hash: baselineHash }, model) : undefined,
    alreadyActive: active === v.version && servedModel === model,
  };
  return { decision: decideDeploy(input), input, previousVersion: active, ...(active && servedModel !== model ? { modelChange: { from: servedModel, to: model } } : {}) };
}
