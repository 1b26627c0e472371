import { canonicalJson, sha256Hex } from '../canonical.js';

/**
 * The request settings a run sends that its version file and suite file do not hold: the model
 * and sampling parameters merged from `server.model`, `defaults` and the version's own `model:`
 * block (plan.ts `effectiveParams`, with the model it runs on; `settingsOf`). A run made with other settings (say
 * `defaults.stop` added since) measured other requests: it neither counts for a gate or a tested
 * mark nor serves as a baseline under the current settings.
 */
export function settingsKey(params: { model: string }): string {
  return sha256Hex(canonicalJson(params));
}
