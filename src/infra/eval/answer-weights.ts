import type { PlannedSample } from '../../core/eval/plan.js';
import { namesWeights, weightsOf } from '../../core/served-weights.js';
import type { CachedResponse } from '../registry/types.js';
import type { ExchangeResponse } from './exchange.js';

/**
 * A cached answer counts only for the weights that gave it: when the server now names other
 * weights (`root`) behind the run's model, the sample is asked again. An answer that recorded no
 * root (before 0.2.0) is of unknown weights and is taken (core/served-weights.ts); so is every
 * answer when the server names none.
 */
export function ofServedWeights(hit: CachedResponse | undefined, s: PlannedSample): CachedResponse | undefined {
  const served = s.run.served;
  if (!hit || !namesWeights(served)) return hit;
  // An answer cached with no root (before 0.2.0) is of unknown weights: kept, as before.
  return hit.root === undefined || hit.root === weightsOf(s.run.model, served) ? hit : undefined;
}

/** The cache row of an answer the server just gave, with the weights that gave it. */
export function cacheRow(s: PlannedSample, response: ExchangeResponse): { cacheKey: string; response: CachedResponse } {
  const served = s.run.served;
  return { cacheKey: s.cacheKey, response: namesWeights(served) ? { ...response, root: weightsOf(s.run.model, served) } : response };
}
