import { createHmac, randomUUID } from 'node:crypto';
import { sha256Hex } from '../../core/canonical.js';
import { InputError, type Problem } from '../../core/errors.js';
import { summarizeRun } from '../../core/eval/aggregate.js';
import { SCORER_VERSION } from '../../core/scoring/version.js';
import { planRun, type PlannedRun, type PlanSuite, type PlanVersion } from '../../core/eval/plan.js';
import { effectiveParams } from '../../core/eval/request-params.js';
import { sampleKey, samplesOf } from '../../core/eval/samples.js';
import type { ProgressEvent, RunOutcome } from '../../core/schemas/report.js';
import type { RunRecord } from '../../core/schemas/run.js';
import type { Clock } from '../clock.js';
import type { ModelClient } from '../model/index.js';
import type { Project, PromptFile, SuiteFile } from '../project.js';
import { requireEditableVersions } from '../version-states.js';
import type { Registry } from '../registry/types.js';
import { generatedCases } from './suite-target.js';
import type { RequestMode } from '../../core/eval/n-sampling.js';
import { executeSamples, type CachedSamples } from './executor.js';
import { keepLeases, leaseLostError, leasePolicy, type LeasePolicy } from './run-leases.js';
import { judgeNotPassing, pagedPromptTokensSaved } from './recorded-cases.js';
import { openRuns } from './session-runs.js';

/**
 * One eval session: plans runs for the chosen versions and suites, creates (or resumes) their
 * registry records under a lease (run-leases.ts), executes the samples, and finishes each run with
 * its summary.
 */

export interface SessionTarget {
  version: PromptFile;
  suites: SuiteFile[];
  /** Only these case ids (for --filter-failing); undefined means every case. */
  onlyCases?: Map<string, Set<string>>;
  /** The model of the matrix this target runs on (model-matrix.ts); undefined: the version's own. */
  model?: string;
}

export interface SessionOptions {
  project: Project;
  registry: Registry;
  client: ModelClient;
  targets: SessionTarget[];
  invocationId?: string;
  repeat?: number;
  concurrency: number;
  useCache: boolean;
  resume: boolean;
  server: string;
  promptctlVersion: string;
  onProgress: (e: ProgressEvent) => void;
  signal?: AbortSignal;
  /**
   * Keep every case in the outcome (JSON, JUnit, Markdown, reports need them). Without, only cases
   * that did not pass are kept: the summaries hold the counts, and a 100,000-case run need not
   * keep 100,000 passing answers in memory for a table that shows none of them.
   */
  keepPassingCases?: boolean;
  /** Runs planned beforehand (the caller validated the input before opening the registry). */
  planned?: PlannedRun[];
  /** Of `planned`: samples already rendered with their cached answers (answeredFromCache), sent from there. */
  cachedSamples?: CachedSamples;
  /** Run times, and when results are written (batches, at least once a second); tests pass a fake one. */
  clock: Clock;
  /** Who holds the runs' leases and for how long; by default this process and DEFAULT_LEASE_TTL_MS. */
  lease?: LeasePolicy;
  /**
   * Send the planned runs two by two, alternating one sample of each (an interleaved latency
   * measurement: both arms see the same server load at the same time).
   */
  interleave?: boolean;
}

export interface SessionResult {
  invocationId: string;
  outcomes: RunOutcome[];
  sent: number;
  cached: number;
  aborted?: string;
}

/**
 * A canary per (version content, suite content): unpredictable without the registry's secret, never
 * in a prompt file or content hash, and stable across runs so adversarial answers can be cached and resumed.
 */
function canaryFor(secret: string, promptHash: string, suiteHash: string): string {
  return `CANARY-${createHmac('sha256', secret).update(`${promptHash}:${suiteHash}`).digest('hex').slice(0, 20)}`;
}

/**
 * Plans every run without touching the registry, so a case that cannot render stops the eval
 * before anything is written. Adversarial runs get their canary later, from the registry's secret
 * (see `plantCanaries`); it is a function of the prompt and suite content, so it is not part of
 * the inputs key.
 */
export function planSession(opts: Pick<SessionOptions, 'project' | 'targets' | 'repeat'> & { requestMode?: RequestMode }): PlannedRun[] {
  const { project } = opts;
  const runs: PlannedRun[] = [];
  const problems: Problem[] = [];
  for (const t of opts.targets) {
    const version: PlanVersion = { id: t.version.id, version: t.version.version, file: t.version.file, hash: t.version.hash, data: t.version.data };
    const own = effectiveParams(project.config.server.model, project.config.defaults, t.version.data.model);
    const params = t.model === undefined ? own : { ...own, model: t.model };
    for (const s of t.suites) {
      const generated = generatedCases(s);
      const only = t.onlyCases?.get(s.name);
      const suite: PlanSuite = {
        name: s.name,
        file: s.file,
        hash: s.hash,
        data: only ? { ...s.data, cases: s.data.cases.filter((c) => only.has(c.id)) } : s.data,
        generated: only ? generated.filter((g) => only.has(g.case.id)) : generated,
      };
      const planned = planRun({ version, suite, params, repeatOverride: opts.repeat, requestMode: opts.requestMode }, (i) => s.locate(['cases', i]));
      problems.push(...planned.problems);
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

/** Idempotent: a run's canary depends only on the registry's secret and the run's content. */
export async function plantCanaries(registry: Registry, runs: PlannedRun[]): Promise<void> {
  const adversarial = runs.filter((run) => run.suiteKind === 'adversarial');
  // Read (or created) only when an adversarial run needs it, as before.
  if (!adversarial.length) return;
  const secret = await registry.getOrCreateSecret('canary');
  for (const run of adversarial) run.canary = canaryFor(secret, run.promptHash, run.suiteHash);
}

/** Rubrics go to judge_model (else the run's model); refusal and compliance only to a configured judge_model. */
export function judgeModelsOf(project: Project): { judgeModel: string; safetyJudgeModel?: string } {
  return { judgeModel: project.config.server.judge_model ?? project.config.server.model, safetyJudgeModel: project.config.server.judge_model };
}

export async function runSession(opts: SessionOptions): Promise<SessionResult> {
  const { registry } = opts;
  const invocationId = opts.invocationId ?? randomUUID();
  const planned = opts.planned ?? planSession(opts);
  // The caller registered the versions (settleVersions); a released version edited since is refused.
  await requireEditableVersions(registry, opts.targets.map((t) => t.version));
  await plantCanaries(registry, planned);
  const lease = opts.lease ?? leasePolicy(invocationId);
  const { runIds, done, total, resumed } = await openRuns(registry, planned, { ...opts, invocationId, lease });
  // --resume with nothing unfinished runs afresh, and says so: a typo in the suites or a run already finished is not silent.
  if (opts.resume && planned.length && !resumed) opts.onProgress({ type: 'warning', message: '--resume: no unfinished run of these suites, contents and model to resume; running them afresh' });
  // Dispatching stops on the caller's signal, or when another eval took over one of the runs.
  const stop = new AbortController();
  const forward = () => stop.abort(opts.signal?.reason);
  if (opts.signal?.aborted) forward();
  opts.signal?.addEventListener('abort', forward, { once: true });
  const leases = keepLeases(registry, [...runIds.values()], lease, opts.clock, (runId) => {
    opts.onProgress({ type: 'warning', message: `another eval took over run ${runId} after its lease expired unrenewed: stopping, so that no case is sent twice` });
    stop.abort('lease lost');
  });
  try {
    const samplesLeft = (run: PlannedRun) => {
      const runId = runIds.get(run.inputsKey)!;
      const ready = opts.cachedSamples?.get(run);
      if (ready) return ready.filter((s) => !done.has(`${runId}|${sampleKey(s.case.id, s.sample)}`)).values();
      // Recorded samples (a resumed run) are skipped before rendering: they cost nothing.
      return samplesOf(run, (c, sample) => done.has(`${runId}|${sampleKey(c.id, sample)}`));
    };
    function* pending() {
      if (!opts.interleave) {
        for (const run of planned) yield* samplesLeft(run);
        return;
      }
      for (let i = 0; i < planned.length; i += 2) yield* alternate(planned.slice(i, i + 2).map(samplesLeft));
    }
    opts.onProgress({ type: 'start', total: total - done.size, resumed: done.size, label: `${planned.length} run${planned.length === 1 ? '' : 's'}` });
    const executed = await executeSamples({
      samples: pending(),
      nameModels: new Set(planned.map((r) => r.model)).size > 1,
      runIds,
      registry,
      client: opts.client,
      concurrency: opts.concurrency,
      useCache: opts.useCache,
      ...judgeModelsOf(opts.project),
      onProgress: opts.onProgress,
      signal: stop.signal,
      clock: opts.clock,
    });
    opts.onProgress({ type: 'end' });
    const lost = leases.lost()[0];
    // The run is the other eval's now: it finishes it, and this one records no verdict on it.
    if (lost !== undefined) throw leaseLostError((await registry.getRun(lost))!, lease.ttlMs);
    return { invocationId, outcomes: await finishRuns(opts, planned, runIds, executed.aborted), sent: executed.sent, cached: executed.cached, aborted: executed.aborted };
  } finally {
    opts.signal?.removeEventListener('abort', forward);
    await leases.release();
  }
}

/** One item of each iterator in turn, until all are done. */
function* alternate<T>(iterators: Array<Iterator<T>>): Generator<T> {
  let live = iterators;
  while (live.length) {
    const next: Array<Iterator<T>> = [];
    for (const it of live) {
      const r = it.next();
      if (r.done) continue;
      yield r.value;
      next.push(it);
    }
    live = next;
  }
}

/** Each run's summary from its recorded samples: finished, or aborted when dispatching stopped with cases not run. */
async function finishRuns(opts: SessionOptions, planned: PlannedRun[], runIds: Map<string, string>, aborted: string | undefined): Promise<RunOutcome[]> {
  const outcomes: RunOutcome[] = [];
  for (const run of planned) outcomes.push(await finishPlannedRun(opts.registry, run, runIds.get(run.inputsKey)!, { stopped: aborted !== undefined, clock: opts.clock, keepPassingCases: opts.keepPassingCases }));
  return outcomes;
}

/**
 * Judges a planned run from the samples its registry run recorded and finishes it: `aborted` when
 * it was `stopped` with cases not run or none judged (an aborted run never counts, so a server that
 * served nothing withdraws no tested mark), else `finished`.
 */
export async function finishPlannedRun(registry: Registry, run: PlannedRun, runId: string, o: { stopped: boolean; clock: Clock; keepPassingCases?: boolean }): Promise<RunOutcome> {
  const { summary, cases } = await judgeRecorded(registry, run, runId, { keepPassingCases: o.keepPassingCases });
  const status = o.stopped && (summary.notRun > 0 || summary.passed + summary.failed === 0) ? 'aborted' : 'finished';
  await registry.finishRun(runId, status, summary, o.clock.date().toISOString());
  return { run: (await registry.getRun(runId)) as RunRecord, threshold: run.threshold, cases: o.keepPassingCases === false ? cases.filter((c) => c.verdict !== 'pass') : cases };
}

/**
 * A planned run's summary and case verdicts from the samples its registry run recorded; with
 * `keepPassingCases: false`, only the cases that did not pass, read page by page (recorded-cases.ts).
 */
export async function judgeRecorded(registry: Registry, run: PlannedRun, runId: string, o: { keepPassingCases?: boolean } = {}): Promise<ReturnType<typeof summarizeRun>> {
  const input = {
    cases: run.cases.map((c) => ({ id: c.id, repeat: c.repeat, minPassRate: c.minPassRate, category: c.category })),
    threshold: run.threshold,
    maxErrorRate: run.maxErrorRate,
    adversarial: run.suiteKind === 'adversarial',
  };
  const judged = o.keepPassingCases === false ? await judgeNotPassing(registry, runId, input) : summarizeRun({ ...input, samples: await registry.getSamples(runId) });
  if (run.partial) judged.summary.partial = true;
  if (run.shard) judged.summary.shard = run.shard;
  if (run.latency) judged.summary.latency = run.latency;
  if (run.served && run.askedServer) judged.summary.served = run.served;
  judged.summary.settings = run.settings;
  if (run.requestMode === 'n') Object.assign(judged.summary, { requestMode: 'n', promptTokensSaved: await pagedPromptTokensSaved(registry, runId, input.cases) });
  judged.summary.scorerVersion = SCORER_VERSION;
  return judged;
}
