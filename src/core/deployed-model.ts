import type { RequestParams } from './eval/plan.js';

/**
 * The model an environment serves is part of what is deployed. A deploy (or override) event
 * records it in its `detail.served`, inside the event's hash: the served name, what the server said
 * it is (`root`, an adapter's `parent`, from the tested run), and the effective request settings.
 * `get`, `export` and the library serve exactly that; a rollback carries the served settings of
 * the deploy it returns to. Events written before this have no `served`: readers fall back to the
 * model and settings the configuration gives, as before.
 */
export interface ServedModel {
  model: string;
  root?: string;
  parent?: string;
  request: RequestParams;
}

/** `detail.served` of an event, when it recorded one. */
export function servedOf(detail: Record<string, unknown> | undefined): ServedModel | undefined {
  const s = detail?.served as Partial<ServedModel> | undefined;
  if (!s || typeof s.model !== 'string' || typeof s.request !== 'object' || s.request === null) return undefined;
  return s as ServedModel;
}

/**
 * The one precedence for the model a version runs on in an environment: the version's own
 * `model.model` pin, then the environment's `model` (the model for its next deploy), then the
 * project's (`defaults.model`, `server.model`).
 */
export function environmentModel(pin: string | undefined, envModel: string | undefined, projectModel: string): string {
  return pin ?? envModel ?? projectModel;
}

/** The setting that names the model of `environmentModel`, by the same precedence, as a user finds it. */
export function environmentModelSetting(pin: string | undefined, envModel: string | undefined, defaultsModel: string | undefined, env: string): string {
  if (pin !== undefined) return "the version's model.model";
  if (envModel !== undefined) return `environments.${env}.model`;
  return defaultsModel !== undefined ? 'defaults.model' : 'server.model';
}

/** A model change waiting for a gated deploy: what is served now and what the configuration names. */
export interface PendingModel {
  from: string;
  to: string;
  /** The setting that names `to` (`environments.staging.model`, `defaults.model`, `server.model`). */
  setBy: string;
}

export function pendingModel(served: string, configured: string, setBy: string): PendingModel | undefined {
  return served === configured ? undefined : { from: served, to: configured, setBy };
}
