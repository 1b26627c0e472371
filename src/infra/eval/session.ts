import { randomUUID } from 'node:crypto';
import { summarizeRun } from '../../core/eval/aggregate.js';
import { optionName, type OptionNames } from '../../core/option-names.js';
import { SCORER_VERSION } from '../../core/scoring/version.js';
import type { PlannedRun } from '../../core/eval/plan.js';
import { sharesRequest } from '../../core/eval/n-sampling.js';
import { judgesOf } from '../../core/eval/grading.js';
import { sampleKey, samplesOf } from '../../core/eval/samples.js';
import type { ProgressEvent, RunOutcome } from '../../core/schemas/report.js';
import type { RunRecord } from '../../core/schemas/run.js';
import { namesWeights, weightsOf, type ServedAs } from '../../core/served-weights.js';
import type { Clock } from '../clock.js';
import type { ModelClient } from '../model/index.js';
import type { Project } from '../project.js';
import { requireEditableVersions } from '../version-states.js';
import type { Registry } from '../registry/types.js';
import { executeSamples, type CachedSamples, type ExecuteOutcome } from './executor.js';
import { LeaseNotHeldError } from '../registry/lease-fence.js';
import { keepLeases, leaseLostError, leasePolicy, type LeasePolicy } from './run-leases.js';
import { judgeNotPassing, pagedPromptTokensSaved } from './recorded-cases.js';
import { openRuns } from './session-runs.js';
import { plantCanaries, planSession, type SessionTarget } from './session-plan.js';

/**
 * One eval session: plans runs for the chosen versions and suites (session-plan.ts), creates (or resumes) their
 * registry records under a lease (run-leases.ts), executes the samples, and finishes each run with
 * its summary.
 */

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
  /** How a warning names the caller's options (`resume`, `--resume`); the CLI's flags when not said. */
  optionNames?: OptionNames;
  server: string;
  promptctlVersion: string;
  onProgress: (e: ProgressEvent) => void;
  /**
   * Awaited after the last event, before the runs are judged: an async onProgress's failure stops the
   * session as a thrown one does (its runs left aborted), never after a verdict (app/progress.ts).
   */
  settleProgress?: () => Promise<void>;
  signal?: AbortSignal;
  /**
   * Keep every case in the outcome (JSON, JUnit, Markdown, reports need them). Without, only cases
   * that did not pass are kept: the summaries hold the counts, and a 100,000-case run need not
   * keep 100,000 passing answers in memory for a table that shows none of them.
   */
  keepPassingCases?: boolean;
  /** What the server said each model is (preflight), when the eval asked it: judges' cached grades are bound to it (executor.ts). */
  servedAs?: ReadonlyMap<string, ServedAs>;
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

/** Rubrics go to judge_model (else the run's model); refusal and compliance only to a configured judge_model. */
export function judgeModelsOf(project: Project): { judgeModel: string; safetyJudgeModel?: string } {
  const judges = judgesOf(project.config);
  return { judgeModel: judges.rubric, ...(judges.safety !== undefined ? { safetyJudgeModel: judges.safety } : {}) };
}

export async function runSession(opts: SessionOptions): Promise<SessionResult> {
  const { registry } = opts;
  const invocationId = opts.invocationId ?? randomUUID();
  const planned = opts.planned ?? planSession(opts);
  // The caller registered the versions (settleVersions); a released version edited since is refused.
  await requireEditableVersions(registry, opts.targets.map((t) => t.version), opts.project);
  await plantCanaries(registry, planned);
  const lease = opts.lease ?? leasePolicy(invocationId);
  const { runIds, done, total, resumed } = await openRuns(registry, planned, { ...opts, invocationId, lease });
  // --resume with nothing unfinished runs afresh, and says so: a typo in the suites or a run already finished is not silent.
  if (opts.resume && planned.length && !resumed) opts.onProgress({ type: 'warning', message: `${optionName(opts.optionNames ?? 'flags', 'resume')}: no unfinished run of these suites, contents and model to resume; running them afresh` });
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
    let executed: ExecuteOutcome;
    try {
      opts.onProgress({ type: 'start', total: total - done.size, resumed: done.size, label: `${planned.length} run${planned.length === 1 ? '' : 's'}` });
      executed = await executeSamples({
        samples: pending(),
        nameModels: new Set(planned.map((r) => r.model)).size > 1,
        runIds,
        registry,
        client: opts.client,
        concurrency: opts.concurrency,
        useCache: opts.useCache,
        ...judgeModelsOf(opts.project),
        ...(opts.servedAs ? { servedAs: opts.servedAs } : {}),
        onProgress: opts.onProgress,
        signal: stop.signal,
        clock: opts.clock,
        fence: { holder: lease.holder },
      });
      opts.onProgress({ type: 'end' });
      await opts.settleProgress?.();
    } catch (e) {
      // Every worker has stopped (executeSamples waits for them): the runs this eval still holds end
      // as a stop ends them, aborted with their cases not run (resumable), not left `running`.
      const lost = await leases.confirm().catch(() => leases.lost());
      const held = planned.filter((run) => !lost.includes(runIds.get(run.inputsKey)!));
      await finishRuns(opts, held, runIds, 'stopped by an error').catch(() => undefined);
      // A late answer the fence refused (the run was taken over meanwhile): the lost lease's message.
      const taken = e instanceof LeaseNotHeldError ? await registry.getRun(e.runId).catch(() => undefined) : undefined;
      throw taken ? leaseLostError(taken, lease.ttlMs) : e;
    }
    // Still ours? Another eval may have taken a run over since the last renewal: the run is the
    // other eval's then, which finishes it, and this one records no verdict (nor a tested mark) on it.
    const lost = (await leases.confirm())[0];
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
export async function finishPlannedRun(registry: Registry, run: PlannedRun, runId: string, o: { stopped: boolean; clock: Clock; keepPassingCases?: boolean; mergedFrom?: string[] }): Promise<RunOutcome> {
  const { summary, cases } = await judgeRecorded(registry, run, runId, { keepPassingCases: o.keepPassingCases });
  if (o.mergedFrom) summary.mergedFrom = o.mergedFrom;
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
  // A run answered wholly from the cache records `cachedRoot` (what tells it from one that asked)
  // and, where known, `served` of the reused answers' weights: every reader (a deploy's event, the
  // gate, what a name serves now) reads a run's weights from `served` alone.
  if (run.served && run.askedServer) judged.summary.served = run.served;
  else if (run.cachedRoot && !run.askedServer) Object.assign(judged.summary, { cachedRoot: run.cachedRoot }, run.cachedServed ? { served: run.cachedServed } : {});
  // Every answer from the cache, in a session that asked the server: the executor took only answers
  // of the weights the server names (ofServedWeights), so those are the run's.
  else if (namesWeights(run.served)) Object.assign(judged.summary, { cachedRoot: weightsOf(run.model, run.served), served: run.served });
  judged.summary.settings = run.settings;
  if (run.grading) judged.summary.grading = run.grading;
  // Only cases whose samples shared a request saved a prefill: the others were sent one request each.
  const shared = run.requestMode === 'n' ? run.cases.filter((c) => sharesRequest(c, run.params)) : [];
  if (run.requestMode === 'n') Object.assign(judged.summary, { requestMode: 'n', promptTokensSaved: await pagedPromptTokensSaved(registry, runId, shared) });
  judged.summary.scorerVersion = SCORER_VERSION;
  return judged;
}
