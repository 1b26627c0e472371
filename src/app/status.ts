import { z } from 'zod';
import { parseRegisteredContent } from '../core/registered-content.js';
import { activeDeployments } from '../infra/deployments.js';
import { listPromptFolders, listVersionFiles, loadProjectConfig } from '../infra/project-config.js';
import { byPromptThenVersion } from '../core/order.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import { fromCwdField } from '../infra/real-path.js';
import { shownEventReport } from '../infra/registry/shown-events.js';
import { servedContentWarnings } from '../infra/registry/content-check.js';
import { modelChoiceInEnvironment, recordedSettings, servedBy } from '../infra/environment-model.js';
import { evalModelFlag, pendingModel, type PendingModel } from '../core/deployed-model.js';
import { settingsOf } from '../core/eval/request-params.js';
import { plainEvalModels } from '../infra/eval/model-matrix.js';
import { judgesOf } from '../core/eval/grading.js';
import type { ModelSettings } from '../core/schemas/common.js';
import { testedMarksThatCount } from '../infra/signing.js';
import { suitesSinceMarks, type UncoveredSuite } from '../infra/eval/mark-coverage.js';
import { currentRoots, servedRootsOf } from '../infra/eval/served-roots.js';
import { weightsSwapped } from '../core/gate-tested.js';
import { registeredStates } from '../infra/version-states.js';
import type { DeployedFileState, VersionState } from '../core/version-state.js';
import { deployedFileStates } from '../infra/deployed-files.js';
import { goneSuites, suiteFilesHere } from '../infra/gone-suites.js';
import { unretired } from '../core/gate-gone-suites.js';
import type { GoneSuite } from '../core/gate-types.js';
import type { RegradedSuite } from '../core/gate-check.js';
import { failedUnderNewJudge } from './status-judge.js';
import { appContext, type AppOptions, type Env } from './context.js';
import { parseOptions } from './options.js';
import { openRecordFor } from './require.js';
import { versionFileOf } from '../core/refs.js';

/** `status`: every prompt × environment: the active version, whether it is tested, when and by whom. */

export const StatusOptions = z.object({
  /** One environment; every configured one by default. */
  environment: z.string().optional(),
});
export type StatusOptions = z.input<typeof StatusOptions>;

export interface StatusRow {
  promptId: string;
  env: string;
  version: string | null;
  /** Whether its tested mark counts: there is one, and it covers every suite that applies now. */
  tested: boolean;
  /**
   * The suites that apply now and the mark's runs did not run at their current content (changed or
   * added since): the mark is there, but `deploy` and `promote` refuse it until they have run.
   */
  staleSuites?: UncoveredSuite[];
  /**
   * Of `staleSuites` that failed: those whose run graded by the judge the config named before passed
   * (the tested gate's `regraded`): restoring that judge is a way out besides a new version.
   */
  regraded?: RegradedSuite[];
  /** With `staleSuites` or `otherWeights`: the model the eval that renews the mark runs on, when not the version's own (`eval --model`). */
  evalModel?: string;
  /**
   * Suites the registry knows (the version's run of its content, or its mark) whose file is gone and
   * that `retired_suites` does not list: the gate refuses the version (`suite-missing`) until each
   * is restored or retired, so it is not tested. `regraded`: the run was graded by another judge than
   * now (the gate's fact), so restoring the file alone would not make it count. `fromCwd`: `file`
   * from the folder status ran in, where it differs (the restore command's path).
   */
  goneSuites?: Array<Pick<GoneSuite, 'suite' | 'kind' | 'file' | 'fromCwd' | 'regraded'> & { known: 'run' | 'mark' }>;
  /** The model name serves other weights (`root`) than the runs that earned the mark: the gate refuses it until `eval --no-cache`. */
  otherWeights?: { earnedRoot: string; currentRoot: string };
  deployedAt: string | null;
  deployedBy: string | null;
  action: string | null;
  /** `environments[].model` names another model than the one served: the next gated deploy changes it. */
  pendingModel?: PendingModel;
  /** `.promptrc.yaml`'s request settings (say `defaults`) differ from those the deploy recorded and `get` serves: the next gated deploy changes them. */
  pendingSettings?: true;
  /**
   * With `pendingSettings`: the suites whose counting run under the request settings the deploy
   * recorded (what the environment and `get` serve) did not pass: what is served is not tested
   * (say an override of untested settings), whatever the config's settings are.
   */
  servedSettingsUntested?: UncoveredSuite[];
  /**
   * The version's file in this checkout was edited after its release, or deleted: the environment
   * still serves the released content, but `deploy` and `promote` of it from here refuse.
   */
  versionFile?: DeployedFileState;
}

/** A registered version and whether it was ever deployed (core/version-state.ts). */
export interface StatusVersion {
  promptId: string;
  version: string;
  state: VersionState;
  /** A version file of this checkout that the registry does not hold yet (never evaluated here or by ci): a draft. */
  fileOnly?: true;
  /** A registered draft of this checkout's prompt whose version file is gone: `show <ref> --registered` prints its registered content. */
  fileDeleted?: true;
  /** Released though never deployed: the default branch of this git checkout (`main`) holds it. */
  onBase?: string;
}

export interface StatusResult {
  rows: StatusRow[];
  /** Every registered version of the prompts this checkout has, draft or released, and the drafts that are only files yet. */
  versions: StatusVersion[];
  /** Events shown that do not verify against the chain around them. */
  warnings: string[];
  /**
   * Environments the registry records deployments to that .promptrc.yaml no longer names: they
   * still serve, but have no rows here (without `environment`); `environment` names one to see it.
   */
  unconfiguredEnvironments: string[];
}

export async function status(opts: StatusOptions & AppOptions): Promise<StatusResult> {
  const o = parseOptions('status', StatusOptions, opts);
  const c = appContext(opts);
  const project = loadProjectConfig(c.cwd, { env: c.env, optionNames: c.optionNames });
  const configured = project.config.environments.map((e) => e.name);
  const envs = o.environment ? [o.environment] : configured;
  const registry = await openRecordFor(project, o.environment, () => openProjectRegistry(project, { readonly: true, mustExist: true, env: c.env, clock: c.clock, signal: c.signal }));
  try {
    const unconfiguredEnvironments = o.environment ? [] : (await registry.listEnvironments()).filter((e) => !configured.includes(e));
    const own = listPromptFolders(project.root);
    const ids = [...new Set([...own, ...(await registry.listPromptIds())])].sort();
    // Every prompt x environment at once: a few batched reads, not a round trip per pair (a server registry).
    const pairs = ids.flatMap((promptId) => envs.map((env) => ({ promptId, env })));
    const lasts = await activeDeployments(registry, pairs);
    const deployed = pairs.flatMap((p, row) => {
      const version = lasts[row]?.version;
      return version ? [{ promptId: p.promptId, version, row }] : [];
    });
    const records = await registry.getVersions(deployed);
    const judges = judgesOf(project.config);
    const marked = deployed.flatMap((d, j) => {
      const record = records[j];
      if (!record) return [];
      // The deploy event says which model is served (older ones: the registered content and the config); no prompt file is read.
      const own = parseRegisteredContent<{ model?: Partial<ModelSettings> }>(record).model ?? {};
      const served = servedBy(project.config, lasts[d.row], own).model;
      const env = pairs[d.row]!.env;
      // An environment no longer configured names no model of its own: nothing is pending there.
      const pending = configured.includes(env) ? pendingModel(served, modelChoiceInEnvironment(project.config, own, env)) : undefined;
      const plainModels = plainEvalModels(project, own);
      const settings = settingsOf(project.config, own, served);
      // What the deploy recorded it serves with (events from before recorded none: nothing to compare).
      const recorded = recordedSettings(project.config, lasts[d.row], own);
      const pendingSettings = configured.includes(env) && recorded?.changed === true;
      return [{ promptId: d.promptId, version: d.version, contentHash: record.contentHash, model: served, plainModels, row: d.row, pending, pendingSettings, settings, servedSettings: recorded?.key, judges }];
    });
    const marks = await testedMarksThatCount(registry, project.config.signing, marked);
    const signed = project.config.signing.evaluator.length > 0;
    const local = new Set(own);
    // The project and the folder status ran in: restore commands name a file from there.
    const at = { root: project.root, cwd: c.cwd };
    // Marks are judged against the suites on disk: a prompt whose folder this checkout deleted still
    // has its suites here, and deleting the folder must not turn a stale mark back into `yes`.
    const judgedHere = new Set([...own, ...ids.filter((id) => !local.has(id) && suiteFilesHere(at, project.config, id).here.size > 0)]);
    const since = await suitesSinceMarks(registry, project.root, marked.map((m, k) => ({ ...m, mark: marks[k] })), judgedHere, signed, c.env);
    // What the environment serves is the settings its deploy recorded (what `get` serves): where the
    // config's differ, the mark must cover those too, or `yes` would stand for settings no one serves
    // (an override of untested settings, the config put back since).
    const servedSince = await suitesSinceMarks(registry, project.root, marked.map((m, k) => ({ ...m, settings: m.servedSettings, mark: m.pendingSettings ? marks[k] : undefined })), judgedHere, signed, c.env);
    const regradedOf = await failedUnderNewJudge(registry, project.root, project.config, marked, since, c.env);
    // Weights swapped behind the name since the mark: what each model serves now, asked once per model.
    const rootNow = currentRoots(registry);
    const swapped = await Promise.all(marked.map(async (m, k) => (marks[k]?.source === 'run' && judgedHere.has(m.promptId) ? weightsSwapped(await servedRootsOf(registry, marks[k], rootNow)) : undefined)));
    // The gate's rule for suites gone (core/gate-gone-suites.ts): the version's own runs, and its own mark, as where it is active.
    const goneOf: StatusRow['goneSuites'][] = [];
    for (const m of marked) {
      const found = judgedHere.has(m.promptId) ? unretired(await goneSuites(registry, suiteFilesHere(at, project.config, m.promptId), { id: m.promptId, version: m.version, hash: m.contentHash }, m.model, [{ version: m.version, hash: m.contentHash, model: m.model }])) : [];
      goneOf.push(found.length ? found.map((g) => ({ suite: g.suite, kind: g.kind, file: g.file, ...fromCwdField(at, g.file), known: g.run ? ('run' as const) : ('mark' as const), ...(g.run && g.regraded ? { regraded: g.regraded } : {}) })) : undefined);
    }
    const tested = new Set(marked.filter((_, k) => marks[k] && !since[k]!.length && !servedSince[k]!.length && !swapped[k] && !goneOf[k]).map((m) => m.row));
    const servedUntestedAt = new Map(marked.flatMap((m, k) => (servedSince[k]!.length ? [[m.row, servedSince[k]!] as const] : [])));
    const goneAt = new Map(marked.flatMap((m, k) => (goneOf[k] ? [[m.row, goneOf[k]!] as const] : [])));
    const evalModel = (m: (typeof marked)[number]) => {
      const flag = evalModelFlag(m.model, m.plainModels);
      return flag ? { evalModel: flag } : {};
    };
    type Stale = Pick<StatusRow, 'staleSuites' | 'regraded' | 'evalModel' | 'otherWeights'>;
    const staleAt = new Map<number, Stale>(
      marked.flatMap((m, k): Array<[number, Stale]> => {
        if (swapped[k]) return [[m.row, { otherWeights: swapped[k]!, ...evalModel(m) }]];
        return since[k]!.length ? [[m.row, { staleSuites: since[k]!, ...(regradedOf[k] ? { regraded: regradedOf[k] } : {}), ...evalModel(m) }]] : [];
      }),
    );
    // Every served version, whether or not its prompt's folder is still here (deleted or renamed):
    // deployedFileStates asks git, lint's rule, so a version another repository or branch deployed to
    // a shared registry, whose file this checkout never had, is still not its business.
    // What each serves: the hash its active event deployed (older events named none: the registered content's).
    const served = deployed.map((d, j) => ({ ...d, servedHash: lasts[d.row]?.contentHash ?? records[j]?.contentHash }));
    const ownVersions = await releasedBy(withFileDrafts(await registeredStates(registry, [...own].sort()), project.root, own), project.root, c.env);
    const fileStates = deployedFileStates(project.root, served, c.env, (id) => ownVersions.filter((v) => v.promptId === id).map((v) => v.version));
    const withHere = (f: DeployedFileState): DeployedFileState => ({ ...f, ...fromCwdField(at, f.file) });
    const fileAt = new Map(served.flatMap((d, k) => (fileStates[k] ? [[d.row, withHere(fileStates[k]!)] as const] : [])));
    // A prompt whose folder this checkout deleted is listed with its registered versions too.
    const gone = [...new Set(served.filter((d, k) => fileStates[k]?.state === 'deleted' && !local.has(d.promptId)).map((d) => d.promptId))].sort();
    const versions = gone.length ? [...ownVersions, ...(await registeredStates(registry, gone))].sort(byPromptThenVersion) : ownVersions;
    const pendingAt = new Map(marked.flatMap((m) => (m.pending ? [[m.row, m.pending] as const] : [])));
    const settingsPending = new Set(marked.filter((m) => m.pendingSettings).map((m) => m.row));
    const rows: StatusRow[] = pairs.map(({ promptId, env }, i) => {
      const last = lasts[i];
      const pending = pendingAt.get(i);
      const stale = staleAt.get(i);
      return {
        promptId,
        env,
        version: last?.version ?? null,
        tested: tested.has(i),
        ...(stale ?? {}),
        ...(goneAt.has(i) ? { goneSuites: goneAt.get(i)! } : {}),
        deployedAt: last?.at ?? null,
        deployedBy: last?.actor ?? null,
        action: last?.action ?? null,
        ...(pending ? { pendingModel: pending } : {}),
        ...(settingsPending.has(i) ? { pendingSettings: true as const } : {}),
        ...(servedUntestedAt.has(i) ? { servedSettingsUntested: servedUntestedAt.get(i)! } : {}),
        ...(fileAt.has(i) ? { versionFile: fileAt.get(i)! } : {}),
      };
    });
    const shown = lasts.filter((e): e is NonNullable<typeof e> => e !== undefined);
    const { warnings, suspect } = await shownEventReport(registry, shown, project.config.signing);
    return {
      rows,
      versions,
      warnings: [...warnings, ...servedContentWarnings(deployed.map((d, j) => ({ env: pairs[d.row]!.env, record: records[j], deployed: lasts[d.row]! })), suspect)],
      unconfiguredEnvironments,
    };
  } finally {
    await registry.close();
  }
}

/** In a git checkout, the drafts the default branch holds are released there, deployed or not (released-on-base.ts, as `list` and `show` say). */
async function releasedBy(versions: StatusVersion[], root: string, env: Env): Promise<StatusVersion[]> {
  const drafts = versions.filter((v) => v.state === 'draft');
  if (!drafts.length) return versions;
  const found = (await import('./released-on-base.js')).heldOnBase(root, env, drafts.map((v) => versionFileOf(v.promptId, v.version)));
  if (!found?.held.size) return versions;
  return versions.map((v) => (v.state === 'draft' && found.held.has(versionFileOf(v.promptId, v.version)) ? { promptId: v.promptId, version: v.version, state: 'released' as const, onBase: found.base } : v));
}

/** The registered versions, and the version files the registry does not hold yet, as drafts, in listing order. */
function withFileDrafts(registered: StatusVersion[], root: string, own: readonly string[]): StatusVersion[] {
  const known = new Set(registered.map((v) => `${v.promptId}@${v.version}`));
  const files = new Map(own.map((promptId) => [promptId, listVersionFiles(root, promptId)]));
  const fileOnly = own.flatMap((promptId) => files.get(promptId)!.filter((version) => !known.has(`${promptId}@${version}`)).map((version) => ({ promptId, version, state: 'draft' as const, fileOnly: true as const })));
  // A deleted released version is the rows' business (their versionFile); a deleted draft is said here.
  const noted = registered.map((v) => (v.state === 'draft' && files.get(v.promptId)?.includes(v.version) === false ? { ...v, fileDeleted: true as const } : v));
  return [...noted, ...fileOnly].sort(byPromptThenVersion);
}
