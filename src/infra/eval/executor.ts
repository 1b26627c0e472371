import { setMaxListeners } from 'node:events';
import { lastLeakDetector } from '../../core/detectors/leak.js';
import type { PlannedRun, PlannedSample } from '../../core/eval/plan.js';
import type { ProgressEvent } from '../../core/schemas/report.js';
import type { SampleResult } from '../../core/schemas/run.js';
import { scoreSample } from '../../core/scoring/score.js';
import { CircuitOpenError, type ModelClient } from '../model/index.js';
import type { SampleFence } from '../registry/lease-fence.js';
import type { CachedResponse, Registry } from '../registry/types.js';
import { systemClock, type Clock } from '../clock.js';
import { lazySchemaEngine } from '../schema-engine.js';
import type { ServedAs } from '../../core/served-weights.js';
import { cacheRow, ofServedWeights, ofWeights, withWeights } from './answer-weights.js';
import { batchedCacheLookups } from './cache-lookups.js';
import { createBatchWriter } from './batch-writer.js';
import { choiceExchange, noTurnsYet, sendSample } from './exchange.js';
import { cutShort } from './cut-short.js';
import { labelFailures, makeJudge, makeSafetyJudge, scoringFailure, type JudgeCache } from './judge.js';
import { sampleUnits } from './sample-units.js';
import { scoreContextOf } from './score-context.js';

/**
 * Sends planned samples with bounded concurrency, scores each answer, and writes results to the
 * registry as they arrive, a small batch per transaction (sample rows and response-cache rows
 * together, so a killed run never has an answer cached but not recorded, or the reverse), and at
 * least about once a second while answers are pending (see batch-writer.ts).
 * Samples are pulled lazily from an iterator so memory stays flat however large the suite.
 */

/** A planned sample; with `hit`, the answer the cache holds, already read (answeredFromCache). */
type ToSend = PlannedSample & { hit?: CachedResponse };

/**
 * What answeredFromCache read, for the run to use instead of rendering and reading every sample
 * again: each run's samples with their cached answers, in order.
 */
export type CachedSamples = Map<PlannedRun, Array<PlannedSample & { hit: CachedResponse }>>;

export interface ExecuteOptions {
  samples: Iterator<ToSend>;
  /** The runs are on several models: each progress event names its sample's. */
  nameModels?: boolean;
  /** Registry run id for each planned run, keyed by inputsKey. */
  runIds: Map<string, string>;
  registry: Registry;
  client: ModelClient;
  concurrency: number;
  useCache: boolean;
  judgeModel: string;
  /** The configured `server.judge_model`, if any: then refusal and no-compliance are judged by it. */
  safetyJudgeModel?: string;
  /**
   * What the server said each model is, when this eval asked it: a judge's cached grade counts only
   * for the weights it serves now, and a new grade records them. Absent (a re-run answered wholly
   * from the cache asks nothing), cached grades are taken as cached answers are.
   */
  servedAs?: ReadonlyMap<string, ServedAs>;
  onProgress: (e: ProgressEvent) => void;
  /**
   * Stop (Ctrl-C, SIGTERM, a script's abort): nothing more is dispatched, requests in flight are
   * cancelled with their retries and backoff (their samples stay not run, for --resume to send), and
   * every answer that arrived is recorded.
   */
  signal?: AbortSignal;
  /** The runs' lease holder: answers are written only while it holds each run's lease (lease-fence.ts). */
  fence?: SampleFence;
  batchSize?: number;
  /** Longest time an answer waits unwritten (default 1 s): bounds what a SIGKILL loses. */
  maxWriteDelayMs?: number;
  clock?: Clock;
}

export interface ExecuteOutcome {
  sent: number;
  cached: number;
  /** Why dispatching stopped early, if it did. */
  aborted?: string;
}

/**
 * Throws what a worker threw (a failing registry write, an `onProgress` that threw) once every
 * worker has stopped: the first failure halts the others as an abort does, so none outlives the call.
 */
export async function executeSamples(opts: ExecuteOptions): Promise<ExecuteOutcome> {
  // Halts the workers and cancels what they have in flight: on the caller's signal or a worker's failure.
  const halt = new AbortController();
  // Each request in flight listens to it (abort.ts attemptSignal) until it ends: as many as the concurrency, not a leak.
  setMaxListeners(0, halt.signal);
  const onAbort = () => halt.abort(opts.signal?.reason);
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });
  // Judge answers are cached like model answers: read only when the run uses the cache, always
  // written, and bound to the judge's weights as a sample's answer is to the run model's.
  const judgeCache: JudgeCache = {
    get: async (key, model) => (opts.useCache ? ofWeights(await opts.registry.getCachedResponse(key), model, opts.servedAs?.get(model)) : undefined),
    put: (key, r, model) => opts.registry.putCachedResponse(key, withWeights(r, model, opts.servedAs?.get(model))),
  };
  const judge = labelFailures(makeJudge(opts.client, opts.judgeModel, judgeCache, halt.signal));
  const classify = opts.safetyJudgeModel ? labelFailures(makeSafetyJudge(opts.client, opts.safetyJudgeModel, judgeCache, halt.signal)) : undefined;
  const leakDetectors = lastLeakDetector();
  const schemas = lazySchemaEngine();
  type Entry = { result: SampleResult; cacheKey?: string; response?: CachedResponse };
  const writer = createBatchWriter<Entry>({
    batchSize: opts.batchSize ?? 32,
    maxDelayMs: opts.maxWriteDelayMs ?? 1000,
    clock: opts.clock ?? systemClock,
    // One awaited call per batch: samples and their cache rows in one transaction.
    write: (batch) =>
      opts.registry.recordSamples(
        batch.map((b) => b.result),
        batch.flatMap((b) => (b.cacheKey && b.response ? [{ key: b.cacheKey, response: b.response }] : [])),
        opts.fence,
      ),
  });
  let sent = 0;
  let cached = 0;
  let answered = 0;
  let lastFailure: string | undefined;
  let aborted: string | undefined;

  const record = async (entry: Entry, s: PlannedSample) => {
    await writer.add(entry);
    opts.onProgress({ type: 'sample', result: entry.result, suite: s.run.suite, promptId: s.run.promptId, version: s.run.version, ...(opts.nameModels ? { model: s.run.model } : {}) });
  };

  /** The cached answer to use instead of sending (the run uses the cache), when the weights that gave it are served now. */
  const lookUp = batchedCacheLookups(opts.registry);
  const cachedAnswer = async (s: ToSend): Promise<CachedResponse | undefined> => ofServedWeights(s.hit ?? (await lookUp(s.cacheKey)), s);

  type Answer = NonNullable<Entry['response']>;
  /** `pre`: a group request (n mode) already answered this sample, or failed. */
  const runOne = async (s: ToSend, pre?: { hit?: Answer; answer?: Answer; error?: unknown }): Promise<void> => {
    const runId = opts.runIds.get(s.run.inputsKey)!;
    const base = { runId, caseId: s.case.id, sample: s.sample, category: s.case.category };
    const hit = pre ? pre.hit : opts.useCache ? await cachedAnswer(s) : undefined;
    let response = hit ?? pre?.answer;
    if (!response) {
      const soFar = noTurnsYet();
      try {
        if (pre) throw pre.error;
        sent++;
        response = await sendSample(opts.client, s, halt.signal, soFar);
        s.run.askedServer = true;
      } catch (e) {
        if (e instanceof CircuitOpenError) {
          sent--;
          aborted ??= e.message;
        }
        const stopped = e instanceof CircuitOpenError || halt.signal.aborted;
        if (!stopped) lastFailure = (e as Error).message;
        const result = cutShort(s, base, (e as Error).message, soFar, leakDetectors);
        // Cancelled by the halt, or never sent (the breaker): not an answer, so not recorded and the
        // sample stays not run; unless earlier turns of its conversation already failed a check.
        if (stopped && result.verdict !== 'fail') return;
        if (result.verdict !== 'error') answered++;
        await record({ result }, s);
        return;
      }
    } else cached++;
    answered++;
    let score: Awaited<ReturnType<typeof scoreSample>>;
    try {
      score = await scoreSample(s.case.expectations, scoreContextOf(s, response, { leakDetectors, schemas, judge, classify }));
    } catch (e) {
      // A judge the halt cancelled judged nothing: the sample stays not run, sent again by --resume.
      if (halt.signal.aborted) return;
      // A judge that fails (server error, bad JSON) leaves the sample unjudged: an error, not a pass; so does any other scoring failure, unlabelled.
      const result: SampleResult = { ...base, verdict: 'error', output: response.output, reasons: [], latencyMs: response.latencyMs, tokensIn: response.tokensIn, tokensOut: response.tokensOut, cached: Boolean(hit), error: scoringFailure(e), ...(response.exchange ? { exchange: response.exchange } : {}) };
      await record({ result, ...(hit ? {} : cacheRow(s, response)) }, s);
      return;
    }
    const result: SampleResult = {
      ...base,
      verdict: score.verdict,
      output: response.output,
      reasons: score.reasons,
      latencyMs: response.latencyMs,
      tokensIn: response.tokensIn,
      tokensOut: response.tokensOut,
      cached: Boolean(hit),
      ...(score.leaks.length ? { leaks: score.leaks } : {}),
      ...(response.exchange ? { exchange: response.exchange } : {}),
    };
    await record({ result, ...(hit ? {} : cacheRow(s, response)) }, s);
  };

  /** n mode: the samples of one case from one request with `n`, minus those the cache answers. */
  const runGroup = async (group: ToSend[]): Promise<void> => {
    const first = group[0]!;
    const hits = opts.useCache ? await Promise.all(group.map(cachedAnswer)) : group.map(() => undefined);
    let answered: Awaited<ReturnType<ModelClient['complete']>> | undefined;
    let error: unknown;
    if (hits.some((h) => !h)) {
      try {
        sent++;
        answered = await opts.client.complete({ ...first.params, messages: first.messages, n: first.group!.n }, halt.signal);
        first.run.askedServer = true;
      } catch (e) {
        if (e instanceof CircuitOpenError) {
          sent--;
          aborted ??= e.message;
        }
        // Cancelled by the halt, or never sent (the breaker): none of the group's samples is recorded.
        if (e instanceof CircuitOpenError || halt.signal.aborted) return;
        error = e;
      }
    }
    for (const [i, s] of group.entries()) {
      const hit = hits[i];
      const choice = answered?.choices?.[s.sample];
      if (hit || !answered) await runOne(s, { hit, error });
      else if (!choice) await runOne(s, { error: new Error(`the server answered ${answered.choices?.length ?? 1} choice(s) to a request for n=${first.group!.n}`) });
      else await runOne(s, { answer: { output: choice.output, latencyMs: answered.latencyMs, tokensIn: answered.tokensIn, tokensOut: choice.tokensOut, ...choiceExchange(answered, choice) } });
    }
  };

  // A fixed pool of workers pulling from one iterator: bounded concurrency without a queue in memory.
  const units = sampleUnits(opts.samples);
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    try {
      for (;;) {
        if (aborted || halt.signal.aborted || opts.client.circuitOpen) return;
        const next = units.next();
        if (next.done) return;
        if (next.value.length === 1 && !next.value[0]!.group) await runOne(next.value[0]!);
        else await runGroup(next.value);
      }
    } catch (e) {
      failure ??= { error: e };
      halt.abort('a worker failed');
    }
  };
  try {
    // Workers never reject (a failure halts them all), so this waits for every one of them.
    await Promise.all(Array.from({ length: Math.max(1, opts.concurrency) }, worker));
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    // After a failure, what arrived is still written; the failure is the error to report, not a write's.
    await (failure ? writer.flush().catch(() => undefined) : writer.flush());
  }
  if (failure) throw failure.error;
  if (!aborted && opts.signal?.aborted) aborted = 'interrupted: the run stopped dispatching; results so far are kept (resume with --resume)';
  if (!aborted && opts.client.circuitOpen) aborted = 'the circuit breaker opened: the server kept failing';
  // Fewer requests than the breaker's threshold, every one failed: the server served nothing, so the
  // run measured nothing about the prompt. Stopped as the breaker stops it (exit 3, --resume sends them again).
  if (!aborted && answered === 0 && sent > 0 && opts.client.downStreak >= sent) aborted = `every request failed after its retries (${sent} of ${sent}); last: ${(lastFailure ?? 'unknown').replace(/\.+$/, '')}`;
  return { sent, cached, aborted };
}
