import { createHmac } from 'node:crypto';
import { sha256Hex } from '../../core/canonical.js';
import { InputError, type Problem } from '../../core/errors.js';
import type { RequestMode } from '../../core/eval/n-sampling.js';
import { casePlacer } from '../../core/eval/case-place.js';
import { planRun, type PlannedRun, type PlanSuite, type PlanVersion } from '../../core/eval/plan.js';
import { effectiveParams, type RequestParams } from '../../core/eval/request-params.js';
import { judgesOf } from '../../core/eval/grading.js';
import type { Project, PromptFile, SuiteFile } from '../project.js';
import type { Registry } from '../registry/types.js';
import { generatedCases } from './suite-target.js';
import { appendAll } from '../../core/append.js';

/** What an eval session runs, planned before the registry is touched: runs of cases, and the canaries of adversarial ones. */

export interface SessionTarget {
  version: PromptFile;
  suites: SuiteFile[];
  /** Only these case ids (for --filter-failing); undefined means every case. */
  onlyCases?: Map<string, Set<string>>;
  /** The model of the matrix this target runs on (model-matrix.ts); undefined: the version's own. */
  model?: string;
  /** The request exactly as an environment serves the version (its deploy event's), over the config's: a baseline served under other settings. */
  params?: RequestParams;
  /** The environment whose deployed version this is, evaluated only as the other side of `--baseline`: its runs gate nothing. */
  comparison?: string;
}

/**
 * A canary per version and suite: unpredictable without the registry's secret, never in a prompt
 * file or content hash, and stable across runs so adversarial answers can be cached and resumed.
 * Bound to their names, not their contents: an edit that changes no request (a description, a
 * threshold, one case added) leaves every other case's request, and so its cached answer, as it
 * was; an edit to the messages changes the requests anyway.
 */
function canaryFor(secret: string, run: Pick<PlannedRun, 'promptId' | 'version' | 'suite'>): string {
  return `CANARY-${createHmac('sha256', secret).update(JSON.stringify([run.promptId, run.version, run.suite])).digest('hex').slice(0, 20)}`;
}

/**
 * Plans every run without touching the registry, so a case that cannot render stops the eval
 * before anything is written. Adversarial runs get their canary later, from the registry's secret
 * (see `plantCanaries`); it is a function of the version and the suite, so it is not part of
 * the inputs key.
 */
export function planSession(opts: { project: Project; targets: SessionTarget[]; repeat?: number; requestMode?: RequestMode }): PlannedRun[] {
  const { project } = opts;
  const runs: PlannedRun[] = [];
  const problems: Problem[] = [];
  const judges = judgesOf(project.config);
  for (const t of opts.targets) {
    const version: PlanVersion = { id: t.version.id, version: t.version.version, file: t.version.file, hash: t.version.hash, data: t.version.data };
    const own = effectiveParams(project.config.server.model, project.config.defaults, t.version.data.model);
    const params = t.params ?? (t.model === undefined ? own : { ...own, model: t.model });
    for (const s of t.suites) {
      const generated = generatedCases(s);
      const only = t.onlyCases?.get(s.name);
      // A subset's cases keep their place in the suite (and their dataset rows) for its problems.
      const kept = only ? s.data.cases.flatMap((c, i) => (only.has(c.id) ? [i] : [])) : undefined;
      const suite: PlanSuite = {
        name: s.name,
        file: s.file,
        hash: s.hash,
        data: kept ? { ...s.data, cases: kept.map((i) => s.data.cases[i]!) } : s.data,
        generated: only ? generated.filter((g) => only.has(g.case.id)) : generated,
        placeCase: casePlacer(s, kept),
      };
      const planned = planRun({ version, suite, params, judges, repeatOverride: opts.repeat, requestMode: opts.requestMode }, s.locate);
      appendAll(problems, planned.problems);
      if (planned.run && only) {
        // A subset is a different request set: its own inputs key, so --resume never mixes it with the full run.
        const subsetKey = sha256Hex(`${planned.run.inputsKey}:${[...only].sort().join('\n')}`);
        runs.push({ ...planned.run, partial: true, inputsKey: subsetKey });
      } else if (planned.run) runs.push(planned.run);
    }
  }
  if (problems.length) {
    throw new InputError({ message: 'some cases cannot be rendered', problems, hint: 'give each case named above every required variable (in the case or base_vars), each of its declared type and within its max_length.' });
  }
  return runs;
}

/** Idempotent: a run's canary depends only on the registry's secret and the run's version and suite. */
export async function plantCanaries(registry: Registry, runs: PlannedRun[]): Promise<void> {
  const adversarial = runs.filter((run) => run.suiteKind === 'adversarial');
  // Read (or created) only when an adversarial run needs it, as before.
  if (!adversarial.length) return;
  const secret = await registry.getOrCreateSecret('canary');
  for (const run of adversarial) run.canary = canaryFor(secret, run);
}
