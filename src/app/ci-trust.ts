import type { CiPlan } from '../core/ci/plan.js';
import type { CiResult } from '../core/ci/result.js';
import { configChanges } from '../core/ci/config-changes.js';
import { trustChangeProblems, trustChanges, unreadableBaseTrust, type TrustChange } from '../core/ci/trust-settings.js';
import type { Problem } from '../core/errors.js';
import type { ResolvedBase } from '../infra/git-base.js';
import type { Project } from '../infra/project.js';
import { baseConfigOf } from './ci-facts.js';
import type { Env } from './context.js';

/**
 * ci's trust check (core/ci/trust-settings.ts): the server, registry and keys a pull request
 * changes, known before anything can open them. `TrustState.cleared` says the check ran and found
 * none: only then may ci read the audit head from the registry the checkout names (an error path
 * included).
 */

export interface TrustState {
  cleared: boolean;
}

/**
 * The trust settings changed (also set on `result`, with every changed field of the config for the
 * reviewer), and the base's config text, which the planner compares with the checkout's.
 */
export function checkTrust(project: Project, base: Pick<ResolvedBase, 'from' | 'top'>, env: Env, result: CiResult, state: TrustState): { moved: TrustChange[]; baseConfigText?: string } {
  const baseConfig = baseConfigOf(project, base);
  const opts = { registryFromEnv: Boolean(env.PROMPTCTL_REGISTRY_URL) };
  const moved = !baseConfig.present ? [] : baseConfig.config ? trustChanges(baseConfig.config, project.config, opts) : unreadableBaseTrust();
  if (moved.length) result.trustChanges = moved;
  else state.cleared = true;
  const changed = baseConfig.config ? configChanges(baseConfig.config, project.config, opts) : moved;
  if (changed.length) result.configChanges = changed;
  return { moved, ...(baseConfig.text === undefined ? {} : { baseConfigText: baseConfig.text }) };
}

/** Trust settings changed together with anything to evaluate: refused, one problem per field, before the server or registry is opened. */
export function trustRefusals(moved: TrustChange[], plan: CiPlan, project: Project, base: string): Problem[] {
  const evaluates = plan.evaluate.length || plan.deletedVersions.length || plan.configChanged;
  return moved.length && evaluates ? trustChangeProblems(moved, (p) => project.configLocate(p), base) : [];
}
