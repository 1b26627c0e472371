import type { RegradedSuite } from '../core/gate-check.js';
import type { Problem } from '../core/errors.js';
import type { PromptrcConfig } from '../core/schemas/config.js';
import type { UncoveredSuite } from '../infra/eval/mark-coverage.js';
import { countedRun } from '../infra/eval/stored-runs.js';
import { regradedSuite, suiteTarget } from '../infra/eval/suite-target.js';
import type { Registry } from '../infra/registry/types.js';
import { cachedSuitesOf } from '../infra/suite-files.js';

/** A deployed version as `status` judges its mark: its content, the model it is served on, and the settings its runs send. */
export interface StatusVersionRef {
  promptId: string;
  version: string;
  contentHash: string;
  model: string;
  settings?: string;
}

/**
 * For each version, its suites that failed since its mark (`stale` says `failed`) but whose newest
 * run graded by the judge the config named before passed: the tested gate's own fact
 * (infra/eval/counting-run.ts `regradedSuite`, asked of the same target), so `status` names the
 * judge change and offers restoring that judge as the gate does, not only a new version.
 */
export async function failedUnderNewJudge(
  registry: Registry,
  root: string,
  config: PromptrcConfig,
  versions: readonly StatusVersionRef[],
  stale: ReadonlyArray<readonly UncoveredSuite[]>,
  env?: Readonly<Record<string, string | undefined>>,
): Promise<Array<RegradedSuite[] | undefined>> {
  const failed = versions.map((_, i) => stale[i]!.filter((x) => x.why === 'failed').map((x) => x.suite));
  const ids = [...new Set(versions.filter((_, i) => failed[i]!.length).map((v) => v.promptId))];
  // Nothing failed since a mark (the common case): no suite is read.
  if (!ids.length) return versions.map(() => undefined);
  const problems: Problem[] = [];
  const suites = cachedSuitesOf(root, ids, env) ?? (await import('../infra/project.js')).loadSuitesOf(root, ids, env, problems);
  const out: Array<RegradedSuite[] | undefined> = [];
  for (const [i, v] of versions.entries()) {
    const found: RegradedSuite[] = [];
    for (const s of suites.filter((x) => x.promptId === v.promptId && failed[i]!.includes(x.name))) {
      const target = suiteTarget({ id: v.promptId, version: v.version, hash: v.contentHash }, s, v.model, config, v.settings);
      const other = await regradedSuite(registry, target, await countedRun(registry, config.signing, target, s));
      if (other) found.push(other);
    }
    out.push(found.length ? found : undefined);
  }
  return out;
}
