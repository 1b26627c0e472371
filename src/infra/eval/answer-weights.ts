import type { PlannedSample } from '../../core/eval/plan.js';
import { namesWeights, weightsOf, type ServedAs } from '../../core/served-weights.js';
import type { CachedResponse } from '../registry/types.js';
import type { ExchangeResponse } from './exchange.js';

/**
 * A cached answer counts only for the weights that gave it: when the server now names other
 * weights (`root`) behind the run's model, the sample is asked again. An answer that recorded no
 * root (before 0.2.0) is of unknown weights and is taken (core/served-weights.ts); so is every
 * answer when the server names none.
 */
export function ofServedWeights(hit: CachedResponse | undefined, s: PlannedSample): CachedResponse | undefined {
  return ofWeights(hit, s.run.model, s.run.served);
}

/** The same rule for any model's cached answer (a judge's too): `served` is what the server names behind `model` now, if it was asked. */
export function ofWeights(hit: CachedResponse | undefined, model: string, served: ServedAs | undefined): CachedResponse | undefined {
  if (!hit || !namesWeights(served)) return hit;
  // An answer cached with no root (before 0.2.0) is of unknown weights: kept, as before.
  return hit.root === undefined || hit.root === weightsOf(model, served) ? hit : undefined;
}

/** An answer `model` just gave, with the weights that gave it when the server named them. */
export function withWeights(response: CachedResponse, model: string, served: ServedAs | undefined): CachedResponse {
  return namesWeights(served) ? { ...response, root: weightsOf(model, served) } : response;
}

/** The cache row of an answer the server just gave, with the weights that gave it. */
export function cacheRow(s: PlannedSample, response: ExchangeResponse): { cacheKey: string; response: CachedResponse } {
  return { cacheKey: s.cacheKey, response: withWeights(response, s.run.model, s.run.served) };
}
