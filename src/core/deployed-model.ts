import type { RequestParams } from './eval/request-params.js';
import { canonicalJson } from './canonical.js';

/**
 * The model an environment serves is part of what is deployed. A deploy (or override) event
 * records it in its `detail.served`, inside the event's hash: the served name, what the server said
 * it is (`root`, an adapter's `parent` and its root, from the tested run), and the effective request settings.
 * `get`, `export` and the library serve exactly that; a rollback carries the served settings of
 * the deploy it returns to. Events written before this have no `served`: readers fall back to the
 * model and settings the configuration gives, as before.
 */
export interface ServedModel {
  model: string;
  root?: string;
  parent?: string;
  /** The root an adapter's `parent` loads (core/served-weights.ts). */
  parentRoot?: string;
  request: RequestParams;
}

/** `detail.served` of an event, when it recorded one. */
export function servedOf(detail: Record<string, unknown> | undefined): ServedModel | undefined {
  const s = detail?.served as Partial<ServedModel> | undefined;
  if (!s || typeof s.model !== 'string' || typeof s.request !== 'object' || s.request === null) return undefined;
  return s as ServedModel;
}

/** A model and the setting that names it, as a user finds it (`environments.staging.model`, `server.model`). */
export interface ModelChoice {
  model: string;
  setBy: string;
}

/**
 * The one precedence for the model a version runs on in an environment, and the setting that names
 * it: the version's own `model.model` pin, then the environment's `model` (the model for its next
 * deploy), then the project's (`defaults.model`, `server.model`).
 */
export function environmentModel(pin: string | undefined, envModel: string | undefined, project: ModelChoice, env: string): ModelChoice {
  if (pin !== undefined) return { model: pin, setBy: "the version's model.model" };
  if (envModel !== undefined) return { model: envModel, setBy: `environments.${env}.model` };
  return project;
}

/**
 * The one rule for the `--model` an advised `promptctl eval` names: a gate (or status) judges a
 * version on `model`, and a plain eval runs it on `plainEval` (its pin, else `server.models`, else
 * its own model: infra/eval/model-matrix.ts plainEvalModels), so the eval names `model` whenever a
 * plain eval would not run it there. Unknown (its file is gone): nothing to name.
 */
export function evalModelFlag(model: string, plainEval: readonly string[] | undefined): string | undefined {
  return plainEval !== undefined && !plainEval.includes(model) ? model : undefined;
}

/** A model change waiting for a gated deploy: what is served now and what the configuration names. */
export interface PendingModel {
  from: string;
  to: string;
  /** The setting that names `to` (`environments.staging.model`, `defaults.model`, `server.model`). */
  setBy: string;
}

export function pendingModel(served: string, configured: ModelChoice): PendingModel | undefined {
  return served === configured.model ? undefined : { from: served, to: configured.model, setBy: configured.setBy };
}

/** A request setting two served deployments differ in; `undefined` is not set. */
export interface SettingChange {
  setting: string;
  from?: unknown;
  to?: unknown;
}

/** What changes in the request when serving moves from one deployment to another (`stop`: ["XYZ"] → not set). */
export function requestChanges(from: RequestParams, to: RequestParams): SettingChange[] {
  const a = from as unknown as Record<string, unknown>;
  const b = to as unknown as Record<string, unknown>;
  const settings = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const text = (v: unknown) => (v === undefined ? '' : canonicalJson(v));
  return settings.filter((k) => text(a[k]) !== text(b[k])).map((k) => ({ setting: k, ...(a[k] !== undefined ? { from: a[k] } : {}), ...(b[k] !== undefined ? { to: b[k] } : {}) }));
}

/**
 * The request settings besides the model that change (a `defaults` change, a version's own
 * `model:` settings): what deploy, promote and ci say beside a model change, which they name apart.
 */
export function changesBesidesModel(from: RequestParams, to: RequestParams): SettingChange[] {
  return requestChanges(from, to).filter((c) => c.setting !== 'model');
}
