import { effectiveParams, modelOf, settingsOf, type RequestParams } from '../core/eval/request-params.js';
import { settingsKey } from '../core/eval/settings-key.js';
import { environmentModel, servedOf, type ModelChoice, type ServedModel } from '../core/deployed-model.js';
import type { ModelSettings } from '../core/schemas/common.js';
import type { Project, PromptFile } from './project.js';
import type { AuditEvent, Registry } from './registry/types.js';
import { countedRun } from './eval/stored-runs.js';
import { suiteTarget } from './eval/suite-target.js';
import { suitesFor } from './eval/targets.js';

/**
 * The model and request settings of a version in an environment, from the configuration (what the
 * next deploy serves), and what an event says is served now.
 */

type Config = Project['config'];

/** `environments[].model` of `env`, if set. */
export function envModelOf(config: Config, env: string): string | undefined {
  return config.environments.find((e) => e.name === env)?.model;
}

/** The model a version (its own `model:` settings) runs on in `env`, and the setting that names it, by the one precedence. */
export function modelChoiceInEnvironment(config: Config, own: Partial<ModelSettings> | undefined, env: string): ModelChoice {
  const project = { model: modelOf(config, own ?? {}), setBy: config.defaults.model !== undefined ? 'defaults.model' : 'server.model' };
  return environmentModel(own?.model, envModelOf(config, env), project, env);
}

/** The model a version (its own `model:` settings) runs on in `env`. */
export function modelInEnvironment(config: Config, own: Partial<ModelSettings> | undefined, env: string): string {
  return modelChoiceInEnvironment(config, own, env).model;
}

/** The request settings a deploy of a version to `env` serves: the version's own, the defaults, the environment's model. */
export function requestInEnvironment(config: Config, own: Partial<ModelSettings> | undefined, env: string): RequestParams {
  return { ...effectiveParams(config.server.model, config.defaults, own ?? {}), model: modelInEnvironment(config, own, env) };
}

/** A version file's model in `env`. */
export function fileModelIn(project: Project, v: Pick<PromptFile, 'data'>, env: string): string {
  return modelInEnvironment(project.config, v.data.model, env);
}

/** What an event says is served: its recorded model and settings, or (an event from before) the configuration's. */
export function servedBy(config: Config, event: AuditEvent | undefined, own: Partial<ModelSettings> | undefined): ServedModel {
  const recorded = servedOf(event?.detail);
  if (recorded) return recorded;
  const request = effectiveParams(config.server.model, config.defaults, own ?? {});
  return { model: request.model, request };
}

/**
 * The request a deploy event recorded for what it serves, its settings key (`key`: what the served
 * version's runs must have been made under), and whether the config now sends other settings for
 * that version on that model (`changed`: a `defaults` change since; the next gated deploy serves
 * them). Undefined for an event from before events recorded it: the config's count, as before.
 */
export function recordedSettings(config: Config, event: AuditEvent | undefined, own: Partial<ModelSettings> | undefined): { request: RequestParams; key: string; changed: boolean } | undefined {
  const recorded = servedOf(event?.detail);
  if (!recorded) return undefined;
  const key = settingsKey(recorded.request);
  return { request: recorded.request, key, changed: key !== settingsOf(config, own, recorded.model) };
}

/**
 * A deployed version as its environment serves it, to evaluate or measure it so (`eval
 * --baseline`, `--measure-latency`): the model its deploy recorded, and the recorded request as
 * `params` when the config would now send other settings (`changed`). `settings` is the recorded
 * settings key its runs must have been made under (absent for an event from before: the config's).
 */
export function servedAs(config: Config, event: AuditEvent | undefined, file: PromptFile): { version: PromptFile; model: string; params?: RequestParams; settings?: string; changed: boolean } {
  const recorded = recordedSettings(config, event, file.data.model);
  const changed = recorded?.changed === true;
  return { version: file, model: servedBy(config, event, file.data.model).model, ...(changed ? { params: recorded!.request } : {}), ...(recorded ? { settings: recorded.key } : {}), changed };
}

/**
 * What a deploy of `v` to `env` serves, for its event: the model and request settings, and what
 * the server said the model is in the runs that tested it there (the newest counting run that
 * recorded it). Read inside the deploy's transaction.
 */
export async function servedForDeploy(registry: Registry, project: Project, v: PromptFile, env: string): Promise<ServedModel> {
  const request = requestInEnvironment(project.config, v.data.model, env);
  for (const s of suitesFor(project, v)) {
    const served = (await countedRun(registry, project.config.signing, suiteTarget(v, s, request.model, project.config), s))?.summary?.served;
    if (served) return { model: request.model, ...served, request };
  }
  return { model: request.model, request };
}
