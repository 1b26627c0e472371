import type { ModelSettings } from '../schemas/common.js';
import type { RequestSurface } from './request.js';
import { settingsKey } from './settings-key.js';

/**
 * What a version sends besides its messages, from the project's config and the version's own
 * `model:` settings: the one merge, the one model resolution and the settings key marks bind to.
 */

export interface RequestParams extends RequestSurface {
  model: string;
  temperature: number;
  max_tokens: number;
  top_p?: number;
  seed?: number;
  stop?: string[];
  presence_penalty?: number;
  frequency_penalty?: number;
  /** vLLM sampling parameters sent as they are (`model.extra_body`, over the config's defaults key by key). */
  extra_body?: Record<string, unknown>;
}

/**
 * The one merge of a version's settings over the project's defaults: the version wins key by key,
 * and `extra_body` is merged key by key too (the README's rule), for what is sent and what is shown.
 */
export function mergedSettings(defaults: Partial<ModelSettings>, own: Partial<ModelSettings>): Partial<ModelSettings> {
  const s = { ...defaults, ...own };
  return defaults.extra_body || own.extra_body ? { ...s, extra_body: { ...defaults.extra_body, ...own.extra_body } } : s;
}

/** Settings in effect for a version: the config's defaults, overridden by the version's own. */
export function effectiveParams(serverModel: string, defaults: Partial<ModelSettings>, own: Partial<ModelSettings>): RequestParams {
  const s = mergedSettings(defaults, own);
  const p: RequestParams = {
    model: s.model ?? serverModel,
    temperature: s.temperature ?? 0,
    max_tokens: s.max_tokens ?? 256,
  };
  if (s.top_p !== undefined) p.top_p = s.top_p;
  if (s.seed !== undefined) p.seed = s.seed;
  if (s.stop !== undefined) p.stop = s.stop;
  if (s.presence_penalty !== undefined) p.presence_penalty = s.presence_penalty;
  if (s.frequency_penalty !== undefined) p.frequency_penalty = s.frequency_penalty;
  if (s.extra_body) p.extra_body = s.extra_body;
  return p;
}

/** The part of the project's config that decides what a version sends. */
type RequestConfig = { server: { model: string }; defaults: Partial<ModelSettings> };

/**
 * The one model resolution, for a version's own `model:` settings read from its file or from its
 * registered content: its own model, else the config's defaults, else the server's.
 */
export function modelOf(config: RequestConfig, own: Partial<ModelSettings> | undefined): string {
  return effectiveParams(config.server.model, config.defaults, own ?? {}).model;
}

/** `settingsKey` of what a version's runs on `model` send under the config's server model and defaults. */
export function settingsOf(config: RequestConfig, own: Partial<ModelSettings> | undefined, model: string): string {
  return settingsKey({ ...effectiveParams(config.server.model, config.defaults, own ?? {}), model });
}
