import { decideDeploy, type DeployGateInput, type GateDecision } from '../core/gates.js';
import { previousEnvironment } from '../core/environments.js';
import type { Project, PromptFile } from './project.js';
import type { AuditEvent, Registry } from './registry/types.js';
import { activeDeployment } from './deployments.js';
import { fileModelIn, recordedSettings, requestInEnvironment, servedBy } from './environment-model.js';
import { parseRegisteredContent } from '../core/registered-content.js';
import type { ModelSettings } from '../core/schemas/common.js';
import { changesBesidesModel, type SettingChange } from '../core/deployed-model.js';
import { standingThere } from '../core/standing-there.js';
import { settingsKey } from '../core/eval/settings-key.js';
import { settingsOf } from '../core/eval/request-params.js';
import { suitesSinceMark } from '../core/gate-tested.js';
import { plainEvalModels } from './eval/model-matrix.js';
import { suitesFor } from './eval/targets.js';
import { testedMarkThatCounts } from './signing.js';
import { latestMeasurement, type MeasuredArm } from './eval/latency-records.js';
import { isWholeSuite } from '../core/latency-verdict.js';
import { servedRootsOf, swappedWeights } from './eval/served-roots.js';
import type { ServedAs } from '../core/served-weights.js';
import { goneSuites, suitesHereIn } from './gone-suites.js';
import { pairedFacts } from './gate-run-facts.js';
import { requireIntactContent } from './registry/content-check.js';
import { requireVerifiedEvents } from './registry/shown-events.js';

/**
 * Gathers the facts a deploy gate needs from the registry and the files, and asks the pure
 * decision in core/gates. Shared by deploy, promote, eval --baseline and ci, so all of them judge
 * a version the same way.
 */

/** The latest interleaved latency measurement of `v` against the deployed version of every case, per suite of `v` (else the newest selection, flagged). */
async function measurementsOf(registry: Registry, project: Project, v: PromptFile, candidate: MeasuredArm, baseline: MeasuredArm): Promise<DeployGateInput['latencyMeasurements']> {
  const out: NonNullable<DeployGateInput['latencyMeasurements']> = [];
  for (const s of suitesFor(project, v)) {
    const m = await latestMeasurement(registry, v.id, candidate, baseline, s);
    if (m) out.push({ suite: s.name, kind: s.data.kind, ...m.arms, ...(isWholeSuite(m.cases) ? {} : { selected: m.cases }) });
  }
  return out;
}

/** Only when some run recorded weights: an input without them reads as before. */
async function servedRootsFact(registry: Registry, mark: Parameters<typeof servedRootsOf>[1]): Promise<Pick<DeployGateInput, 'servedRoots'>> {
  const servedRoots = await servedRootsOf(registry, mark);
  return servedRoots ? { servedRoots } : {};
}

export interface GateContext {
  decision: GateDecision;
  input: DeployGateInput;
  previousVersion: string | null;
  /** The deploy changes the model the environment serves (a model upgrade, or a version pinning another). */
  modelChange?: { from: string; to: string };
  /**
   * The request settings besides the model that the deploy changes, from those the active deploy
   * recorded (a `defaults` change, or a version with its own `model:` settings); absent when that
   * deploy recorded none.
   */
  settingChanges?: SettingChange[];
  /**
   * The deploy records other weights behind the same model name than the active deploy did (`root`):
   * the name's weights were swapped and the version evaluated on the new ones. Only for the version
   * active already, which would otherwise be "already active" and go on naming the old weights.
   */
  weightsChange?: { model: string; from: string; to: string };
  /** With `weightsChange`: what the name serves now (root, an adapter's parent and its root), for the event to record. */
  weightsNow?: ServedAs;
}

/**
 * `willRegister`: the deploy registers an unknown version with the file's content once the gates
 * allow it, so the gates judge it as registered (dry run and real deploy alike), or they would
 * predict a refusal the deploy never makes.
 */
export async function evaluateDeployGates(
  registry: Registry,
  project: Project,
  v: PromptFile,
  env: string,
  edited: boolean,
  /** `active`: the environment's newest event as the caller read it in this transaction (null: none); read here when absent. */
  /** `draft`: the version is not released (core/version-state.ts), as the caller found; read here when absent. */
  /** `afterEval`: the caller judges an eval whose runs and tested marks it already recorded (eval --baseline, ci), as a refusal says. */
  opts: { willRegister?: boolean; releasedIn?: readonly string[]; active?: AuditEvent | null; draft?: boolean; afterEval?: boolean } = {},
): Promise<GateContext> {
  const envs = project.config.environments;
  const envOrder = envs.map((e) => e.name);
  const envConfig = envs.find((e) => e.name === env)!;
  // The model this deploy would serve, and the one served now (a model upgrade is judged against it).
  const model = fileModelIn(project, v, env);
  const registered = await registry.getVersion(v.id, v.version);
  const activeEvent = opts.active === undefined ? await activeDeployment(registry, v.id, env) : (opts.active ?? undefined);
  const active = activeEvent?.version ?? null;
  const previousEnv = previousEnvironment(envOrder, env);
  // Deployed there with the request a deploy here would send (the model aside: environments may serve
  // other models), or what ran there says nothing of this; events that recorded none count as before.
  const request = requestInEnvironment(project.config, v.data.model, env);
  const sends = requestShape(request);
  // A rollback there took it off, or an older version was deployed over it: the operators of that environment withdrew it, so it does not count.
  const previousEvents = previousEnv ? await registry.listEvents({ promptId: v.id, env: previousEnv }) : [];
  // What the gates stand on is verified as `get` verifies what it serves: the active event here (the
  // baseline, and the previous version the deploy records) and the previous environment's record of
  // the version, which lets it on. A forged row (an unsigned deploy in a signing project, once hashes
  // are recomputed) must not stand in for a real one, nor choose what the version is compared with.
  await requireVerifiedEvents(registry, [...(activeEvent ? [activeEvent] : []), ...recordOfVersion(previousEvents, v.version)], { signing: project.config.signing, hint: unverifiedHint(env, opts.afterEval) });
  const there = standingThere(previousEvents, v.version, (served) => !served || requestShape(served.request) === sends);
  // The baseline's runs are found by its registered hash: re-hashed and held to what its deploy
  // recorded (content-check.ts), so a row swapped in the database is exit 3, never "no finished run".
  const activeRow = active ? await registry.getVersion(v.id, active) : undefined;
  const activeRecord = activeRow && requireIntactContent(activeRow, activeEvent, { doing: `the gates cannot compare with ${v.id}@${active}, active in ${env}`, hint: unverifiedHint(env, opts.afterEval) });
  const baselineHash = activeRecord?.contentHash;
  const activeOwn = activeRecord && parseRegisteredContent<{ model?: Partial<ModelSettings> }>(activeRecord).model;
  const servedModel = active && activeRecord ? servedBy(project.config, activeEvent, activeOwn).model : model;
  // The settings the deployed version is served with, as its deploy recorded them (none recorded: the config's).
  const recorded = active && activeRecord ? recordedSettings(project.config, activeEvent, activeOwn) : undefined;
  const servedSettings = recorded?.key;
  const otherSettings = recorded?.changed === true;
  const swapped = active === v.version && servedModel === model && !otherSettings ? await swappedWeights(registry, activeEvent?.detail) : undefined;
  const weightsChange = swapped?.change;
  const mark = await testedMarkThatCounts(registry, project.config.signing, v.id, v.version, v.hash, model);
  const deployed = active && baselineHash ? { id: v.id, version: active, hash: baselineHash, model: servedModel, ...(servedSettings !== undefined ? { settings: servedSettings } : {}) } : undefined;
  // Where marks are signed, a run counts through the signed mark that names it (gate-run-facts.ts `vouchedRun`);
  // unsigned, each side's mark still says whether its runs were written under it (exit 3, not "fix the prompt").
  const signing = project.config.signing;
  const marks = { signed: signing.evaluator.length > 0, candidate: mark, baseline: async () => deployed && testedMarkThatCounts(registry, signing, deployed.id, deployed.version, deployed.hash, deployed.model) };
  const paired = await pairedFacts(registry, project, { id: v.id, version: v.version, hash: v.hash, file: v }, model, deployed, marks);
  const applicable = suitesFor(project, v);
  // The suites the mark ran as they are now, under other request settings: the settings changed, not the suites.
  const settingsNow = settingsOf(project.config, v.data.model, model);
  const settingsChanged = mark?.source === 'run' ? suitesSinceMark(mark.suites, applicable, settingsNow).filter((u) => u.why === 'settings').map((u) => u.suite) : [];
  // Suites the registry knows whose file is gone: they still count until retired (core/gate-gone-suites.ts).
  const gone = await goneSuites(registry, suitesHereIn(project, v.id), v, model, deployed ? [deployed] : []);
  const baseFacts = paired.baseline && otherSettings ? { ...paired.baseline, otherSettings: true as const } : paired.baseline;
  const input: DeployGateInput = {
    promptId: v.id,
    version: v.version,
    env,
    envOrder,
    policy: envConfig.gates,
    model,
    plainEvalModels: plainEvalModels(project, v.data.model),
    registered: Boolean(registered),
    ...(registered ? { registeredHash: registered.contentHash } : {}),
    willRegister: !registered && Boolean(opts.willRegister),
    edited,
    ...(edited && opts.releasedIn ? { releasedIn: opts.releasedIn } : {}),
    draft: opts.draft ?? !(await registry.releases(v.id)).some((r) => r.version === v.version),
    testedMark: mark ? { model: mark.model, contentHash: mark.contentHash, source: mark.source } : undefined,
    ...(await servedRootsFact(registry, mark)),
    currentHash: v.hash,
    file: v.file,
    deployedInPreviousEnv: there.deployed,
    ...(there.otherSettings ? { previousEnvOtherSettings: true as const } : {}),
    ...(there.rolledBack ? { previousEnvRolledBack: there.rolledBack } : {}),
    ...(there.downgraded ? { previousEnvDowngraded: there.downgraded } : {}),
    ...(there.byOverride ? { previousEnvByOverride: there.byOverride } : {}),
    suiteRuns: paired.suiteRuns,
    ...(paired.regraded ? { regraded: paired.regraded } : {}),
    ...(settingsChanged.length ? { settingsChanged } : {}),
    ...(paired.unvouched ? { unvouched: paired.unvouched } : {}),
    applicableSuites: applicable.map((s) => s.name),
    suiteKinds: Object.fromEntries(applicable.map((s) => [s.name, s.data.kind])),
    baseline: baseFacts && servedModel !== model ? { ...baseFacts, model: servedModel } : baseFacts,
    // Measured with each arm as served: the candidate as this deploy would, the deployed version as its deploy recorded.
    latencyMeasurements:
      active && baselineHash && (active !== v.version || servedModel !== model || otherSettings)
        ? await measurementsOf(registry, project, v, { version: v.version, hash: v.hash, model, settings: settingsKey(request) }, { version: active, hash: baselineHash, model: servedModel, ...(servedSettings !== undefined ? { settings: servedSettings } : {}) })
        : undefined,
    // An active version that stands by override is not "already" deployed through its gates: once
    // they hold, deploying it again records a plain deploy, which the next environment's
    // requires_previous_env (and its allow_override: false) can count.
    ...(gone.length ? { goneSuites: gone } : {}),
    alreadyActive: active === v.version && servedModel === model && !otherSettings && !weightsChange && activeEvent?.action !== 'override',
  };
  const settingChanges = recorded ? changesBesidesModel(recorded.request, request) : [];
  return {
    decision: decideDeploy(input),
    input,
    previousVersion: active,
    ...(active && servedModel !== model ? { modelChange: { from: servedModel, to: model } } : {}),
    ...(settingChanges.length ? { settingChanges } : {}),
    ...(swapped ? { weightsChange: swapped.change, weightsNow: swapped.now } : {}),
  };
}

/**
 * What a command refused for a record that does not verify does next, and what it wrote before: a
 * deploy or promote nothing; an eval (eval --baseline, ci) its runs and the tested marks they earn
 * or withdraw (app/eval-judged.ts records both before the comparison reads the environment).
 */
function unverifiedHint(env: string, afterEval: boolean | undefined): string {
  const next = 'run `promptctl audit verify` and restore the registry from a backup, then run this again';
  if (!afterEval) return `the gates were not judged on it and nothing was written; ${next}`;
  return `the eval's runs and the tested marks they earn or withdraw are recorded; only the comparison with what ${env} runs, and its gates, were refused; ${next}`;
}

/** The events that decide whether `version` stands in an environment: its first deploy there and every event since (a withdrawal included). */
function recordOfVersion(events: readonly AuditEvent[], version: string): AuditEvent[] {
  const first = events.findIndex((e) => e.version === version && (e.action === 'deploy' || e.action === 'override'));
  return first < 0 ? [] : events.slice(first);
}

/** A request's settings key with its model left out: what two environments serving other models can share. */
function requestShape(request: { model: string }): string {
  return settingsKey({ ...request, model: '' });
}
