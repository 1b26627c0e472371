import { InputError } from '../core/errors.js';
import { optionName, optionWithValue, type OptionNames } from '../core/option-names.js';
import { isWholeSuite, judgeLatency } from '../core/latency-verdict.js';
import type { LatencyReport } from '../core/schemas/report.js';
import { activeDeployment } from '../infra/deployments.js';
import { fileModelIn, servedAs } from '../infra/environment-model.js';
import { measureLatency } from '../infra/eval/latency-measure.js';
import type { SessionOptions } from '../infra/eval/session.js';
import type { SessionTarget } from '../infra/eval/session-plan.js';
import { suitesFor } from '../infra/eval/targets.js';
import type { Project, PromptFile } from '../infra/project.js';
import type { Registry } from '../infra/registry/types.js';
import { resolveRegisteredVersion } from '../infra/project-query.js';

/**
 * `eval <version> --baseline <env> --measure-latency`: after the suites ran, each evaluated
 * version is measured against the version deployed in `env`, interleaved, on the suites both run
 * that the eval selected.
 * The verdict shown is the one deploy will apply, from the same measurement and the same rule.
 */

export function checkMeasureLatency(flags: { measureLatency?: boolean; baseline?: string; shard?: string; merge?: boolean }, names: OptionNames): void {
  if (!flags.measureLatency) return;
  const measure = optionName(names, 'measureLatency');
  if (!flags.baseline) {
    throw new InputError({
      message: `${measure} needs ${optionWithValue(names, 'baseline', '<env>')}`,
      why: 'it measures a version against the version deployed in an environment, both in one interleaved run',
      hint: names === 'flags' ? 'e.g. promptctl eval support-answer@1.2.0 --baseline production --measure-latency' : 'e.g. runEval({ refs: ["support-answer@1.2.0"], baseline: "production", measureLatency: true, ... })',
    });
  }
  if (flags.shard !== undefined || flags.merge) throw new InputError({ message: `${measure} cannot be sharded or merged`, hint: 'run it in one job: both versions must alternate against one server' });
}

/**
 * Before anything is sent: every deployed version the measurement compares with has its file, or
 * the eval stops here (exit 2) rather than after its suites ran.
 */
export async function requireBaselineFiles(project: Project, read: () => Registry, versions: readonly PromptFile[], env: string): Promise<void> {
  for (const v of versions) {
    const event = await activeDeployment(read(), v.id, env);
    if (event) await resolveRegisteredVersion(project, { id: v.id, version: event.version }, (r) => r(read()), { why: MEASURE_NEEDS_FILE });
  }
}

export async function measureAgainstBaseline(
  session: Omit<SessionOptions, 'targets' | 'planned' | 'useCache' | 'resume' | 'interleave'>,
  versions: PromptFile[],
  env: string,
  /** The eval's targets: only the suites (and cases) it selected are measured, never the version's others. */
  targets: readonly SessionTarget[],
): Promise<{ latency: LatencyReport[]; aborted?: string }> {
  const { project, registry } = session;
  const policy = project.config.environments.find((e) => e.name === env)!.gates;
  const latency: LatencyReport[] = [];
  for (const v of versions) {
    const event = await activeDeployment(registry, v.id, env);
    if (!event) continue;
    const active = event.version;
    // A deployed version's file that is gone is said as everywhere else: where it is active and how
    // to restore it, from the folder the command ran in (resolveRegisteredVersion).
    const baseline = await resolveRegisteredVersion(project, { id: v.id, version: active }, (read) => read(registry), { why: MEASURE_NEEDS_FILE });
    // Each arm as its environment serves it: the deployed version as its deploy recorded, the
    // candidate as a deploy there would (the environment's model, the config's settings).
    const { changed, version, model, params } = servedAs(project.config, event, baseline);
    const served = { version, model, ...(params ? { params } : {}) };
    const next = { version: v, model: fileModelIn(project, v, env) };
    // The same version served the same way: nothing would change, nothing to measure.
    if (active === v.version && served.model === next.model && !changed) continue;
    const theirs = new Set(suitesFor(project, baseline).map((s) => s.file));
    const selected = targets.filter((t) => !t.comparison && t.version.id === v.id && t.version.version === v.version);
    const chosen = new Set(selected.flatMap((t) => t.suites.map((s) => s.file)));
    const suites = suitesFor(project, v).filter((s) => theirs.has(s.file) && chosen.has(s.file));
    if (!suites.length) continue;
    // The same cases as the eval (--case, --tag, --sample, --filter-failing): every target of a version selects alike.
    const onlyCases = selected.find((t) => t.onlyCases)?.onlyCases;
    const { measured, aborted } = await measureLatency(session, next, served, suites, onlyCases);
    for (const m of measured) {
      const judgement = judgeLatency(m.arms, policy.max_p95_latency_increase_ms, policy.confidence);
      // A measurement of some cases only is shown as one: deploy judges only a measurement of every case.
      const selected = isWholeSuite(m.cases) ? {} : { selected: m.cases };
      latency.push({ promptId: v.id, version: v.version, env, baselineVersion: active, suite: m.suite, kind: m.kind, limit: policy.max_p95_latency_increase_ms, judgement, ...selected });
    }
    if (aborted) return { latency, aborted };
  }
  return { latency };
}

const MEASURE_NEEDS_FILE = "a latency measurement sends the deployed version's requests too, rendered from its file.";
