import { z } from 'zod';
import { InterruptedError, isPromptctlError } from '../core/errors.js';
import { requireBaselineEnvironment } from './eval-baseline.js';
import { optionWithValue } from '../core/option-names.js';
import type { BaselineComparison, BaselineFacts, EvalReport, NotEvaluated } from '../core/schemas/report.js';
import { clientFromConfig } from '../infra/model/from-config.js';
import { promptctlVersion } from '../infra/package-paths.js';
import { findProjectRoot, listPromptFolders, loadProject, promptIdsOfRefs, type Project } from '../infra/project.js';
import { withRegisteredForms } from '../infra/registered-form.js';
import { requireSoundPromptFiles } from './sound-files.js';
import { openProjectRegistry } from '../infra/project-registry.js';
import type { Registry } from '../infra/registry/types.js';
import { boundHeapGrowthForLargeProjects } from '../infra/eval/heap.js';
import { answeredFromCache } from '../infra/eval/all-cached.js';
import { buildReport } from '../infra/eval/report.js';
import { judgeModelsOf, runSession } from '../infra/eval/session.js';
import { planSession } from '../infra/eval/session-plan.js';
import { selectVersions } from '../infra/eval/targets.js';
import { lookupIfPresent } from '../infra/project-query.js';
import { recordServedAs } from '../infra/eval/model-matrix.js';
import type { ServedAs } from '../core/served-weights.js';
import { firstWithoutN, modelsOf, preflightAll, targetsOf } from './eval-targets.js';
import { judged } from './eval-judged.js';
import { signerFor } from '../infra/signing.js';
import { recordingActorAsync } from './accountability.js';
import { refuseBeforeWriting } from './require.js';
import { appContext, type AppContext, type AppOptions } from './context.js';
import { callback, objectOption, parseOptions } from './options.js';
import { EvalOptions } from './eval-options.js';
import { outcomesWithInputs } from './report-inputs.js';
import { checkReportPaths, requireWordings, writeReportFiles, writeStopFiles, type ReportFiles, type ReportFormats } from './eval-reports.js';
import { shardingOf } from './eval-shard.js';
import { checkMeasureLatency, measureAgainstBaseline, requireBaselineFiles } from './eval-latency.js';
import { narrowToShard } from '../core/eval/shard.js';
import { baselineWordedBy } from '../core/gate-regression.js';
import { mergeShards } from '../infra/eval/merge-shards.js';
import { settleVersions } from '../infra/version-states.js';
import { requireFreeDraftNumbers } from './deploy-number.js';
import { cutOffCounter } from './eval-cut-off.js';
import { evalResultOf, interruptedError, type EvalResult } from './eval-verdict.js';
import { checkedProgress, type CheckedProgress, type ProgressCallback } from './progress.js';

export type { EvalResult, EvalStop } from './eval-verdict.js';

/** `runEval`: runs suites against the server, records results and tested marks, and returns the report. */

export { EvalOptions };

export interface RunEvalOptions extends EvalOptions, AppOptions {
  /** Each event as it happens; an async callback is not awaited between events, and its failure stops the eval as a throw does (progress.ts). */
  onProgress?: ProgressCallback;
  /**
   * How `junit`/`summary` files (and $GITHUB_STEP_SUMMARY) are worded; without it no report file is
   * written. The CLI and `import { runEval } from 'promptctl'` pass src/render's.
   */
  reportFormats?: ReportFormats;
  /** How each failed regression check against the baseline is worded in the report, one sentence per check in order; by default its kind. */
  wordBaseline?: (b: BaselineFacts) => BaselineComparison;
}

/** Without a wording, each regression is named by its kind (the CLI words them in src/render). */
const baselineByKind = baselineWordedBy((c) => c.kind);

/** `left` gets the versions left out (no suite applies): each is also said as a warning. */
async function evaluate(ctx: AppContext, project: Project, opts: z.output<typeof EvalOptions>, { onProgress, settled }: CheckedProgress, left: NotEvaluated[], wordBaseline: RunEvalOptions['wordBaseline'] = baselineByKind): Promise<EvalReport> {
  if (opts.baseline) requireBaselineEnvironment(project, opts.baseline, ctx.optionNames);
  const sharding = shardingOf(project, { ...opts, reportFiles: { junit: opts.junit, summary: opts.summary } }, ctx);
  checkMeasureLatency(opts, ctx.optionNames);
  // Who records the marks: git answers while the run is planned and sent (a refused name still stops where it is recorded).
  const actor = recordingActorAsync(ctx);
  actor.catch(() => undefined);
  const versions = await selectVersions(project, opts.refs, lookupIfPresent(project, ctx.env));
  // A version that pins model.model runs on its pin alone (model-matrix.ts): said, not silently done, when --model asked for others.
  for (const v of opts.model.length ? versions : []) {
    const pin = v.data.model?.model;
    if (pin !== undefined && !opts.model.includes(pin)) onProgress({ type: 'warning', message: `${v.id}@${v.version} pins model.model ${pin}: it runs on ${pin} only, not on ${optionWithValue(ctx.optionNames, 'model', opts.model)}` });
  }
  // With no version named, "every prompt" includes one whose files do not load and that a suite
  // would judge: skipping it would pass the run without it. A folder no suite names (a draft being
  // written, an empty one) would not be evaluated anyway, so it does not stop the others.
  const suited = new Set([...project.suites.map((s) => s.promptId), ...project.dataRefused.map((s) => s.promptId)]);
  const checked = opts.refs.length ? versions.map((v) => v.id) : [...versions.map((v) => v.id), ...listPromptFolders(project.root).filter((id) => suited.has(id))];
  await requireSoundPromptFiles(project, checked, { versions, env: ctx.env });
  // Read first (baseline runs, last failures), then plan: a case that cannot render stops here,
  // before the registry is created or written.
  let reader: Registry | undefined;
  let picked: Awaited<ReturnType<typeof targetsOf>>;
  try {
    const read = () => (reader ??= openProjectRegistry(project, { readonly: true, env: ctx.env, clock: ctx.clock, signal: ctx.signal }));
    picked = await targetsOf(project, read, versions, { ...opts, named: opts.refs.length > 0, optionNames: ctx.optionNames });
    // A draft whose number the default branch holds with other content would replace that branch's
    // registered draft: refused as deploy refuses it, before anything is sent or recorded.
    await requireFreeDraftNumbers(project, picked.targets.map((t) => t.version), ctx.env, read);
    if (opts.measureLatency) await requireBaselineFiles(project, read, versions, opts.baseline!);
  } finally {
    await reader?.close();
  }
  const { targets, nothingFailing } = picked;
  for (const n of picked.notEvaluated) onProgress({ type: 'warning', message: `${n.ref}: ${n.why}; not evaluated` });
  left.push(...picked.notEvaluated);
  if (!targets.length) {
    // --filter-failing and every last run passed: nothing is sent, registered or recorded. The
    // models named are those the versions would have run on, as a run's report names them.
    const now = ctx.clock.date().toISOString();
    return { ...buildReport({ invocationId: '', model: [...modelsOf(project, picked.unnarrowed)].join(','), server: '', startedAt: now, endedAt: now, outcomes: [], versions: [], baselines: [] }), nothingFailing };
  }
  const plan = (requestMode: 'n' | undefined) => {
    const whole = planSession({ project, targets, repeat: opts.repeat, requestMode });
    return sharding?.mode === 'shard' ? narrowToShard(whole, sharding.invocation, sharding.shard) : whole;
  };
  let planned = plan(opts.n ? 'n' : undefined);
  // A project that signs tested marks needs the evaluator's key: missing, it stops here (exit 2), before any request.
  if (sharding?.mode !== 'shard') signerFor(project.config.signing, ctx.env, 'evaluator');
  // Every sample is sent without the cache, none by a merge; otherwise the cache decides. A key that
  // cannot be sent stops a sending run before the registry is touched (exit 2); a cached re-run only
  // if something is not cached (a fork's pull request gets its secrets as empty strings).
  const sends = sharding?.mode === 'merge' ? false : !opts.cache || opts.measureLatency ? true : 'unless-cached';
  const { client, baseUrls, keyProblem } = clientFromConfig(project.config, ctx.env, { keyProblemLater: sends !== true, clock: ctx.clock });
  const models = modelsOf(project, targets);
  // A run that sends checks the server while the registry is opened and the versions settled.
  const checking = sends === true ? preflightAll(client, models, project, ctx.signal, ctx.optionNames) : undefined;
  checking?.catch(() => undefined);
  // On the context's clock: run leases expire by it, as recorded times are dated by it.
  const registry = openProjectRegistry(project, { env: ctx.env, clock: ctx.clock, signal: ctx.signal });
  try {
    const sign = sharding?.mode === 'shard' ? undefined : signerFor(project.config.signing, ctx.env, 'evaluator');
    await refuseBeforeWriting(registry, { sign, shard: sharding?.mode === 'shard', signingSince: project.config.signing.since });
    // The server and the key are needed only when something must be sent: a fully cached re-run
    // needs neither. Asked before anything is written, so an unsendable key leaves the registry as it was.
    let cachedSamples = sends === 'unless-cached' ? await answeredFromCache(planned, registry, judgeModelsOf(project)) : undefined;
    // A server (or gateway) that answers no `n` choices had every sample sent as its own request
    // (the fallback below): those answers are the seed-mode plan's, which a re-run finds cached.
    if (sends === 'unless-cached' && !cachedSamples && planned.some((r) => r.requestMode === 'n')) {
      const seeded = plan(undefined);
      cachedSamples = await answeredFromCache(seeded, registry, judgeModelsOf(project));
      if (cachedSamples) planned = seeded;
    }
    if (keyProblem && sends !== false && !cachedSamples) throw keyProblem;
    // A draft's file content becomes its registered content (earlier content kept, with its runs); a released version's edit is refused.
    await settleVersions(registry, targets.map((t) => t.version), { actor: await actor, sign }, project);
    const startedAt = ctx.clock.date().toISOString();
    if (sharding?.mode === 'merge') {
      const merged = await mergeShards(registry, planned, { invocation: sharding.invocation, server: baseUrls.join(','), promptctlVersion: promptctlVersion(), clock: ctx.clock, keepPassingCases: opts.keepPassingCases });
      const session = { invocationId: sharding.invocation, outcomes: merged.outcomes, aborted: undefined };
      return { ...(await judged(ctx, actor, registry, project, versions, targets, session, opts, wordBaseline, { model: [...models].join(','), server: baseUrls.join(','), startedAt })), merge: merged.merge };
    }
    // What the server names behind each model (the judges' too), when it is asked: cached answers and grades count for those weights only.
    const servedAs = new Map<string, ServedAs>();
    if (!cachedSamples) {
      for (const [model, checked] of await (checking ?? preflightAll(client, models, project, ctx.signal, ctx.optionNames))) {
        servedAs.set(model, checked);
        for (const w of checked.warnings ?? []) onProgress({ type: 'warning', message: w });
      }
      const withoutN = await firstWithoutN(client, new Set(planned.filter((r) => r.requestMode === 'n').map((r) => r.model)), ctx.signal);
      if (withoutN !== undefined) {
        onProgress({ type: 'warning', message: `the server does not answer n choices from one request on ${withoutN}: every sample is sent as its own request` });
        planned = plan(undefined);
      }
      recordServedAs(planned, servedAs);
    }
    const sending = {
      project,
      registry,
      client,
      repeat: opts.repeat,
      concurrency: opts.concurrency ?? project.config.server.concurrency,
      server: baseUrls.join(','),
      promptctlVersion: promptctlVersion(),
      clock: ctx.clock,
      onProgress,
      settleProgress: settled,
      signal: ctx.signal,
      keepPassingCases: opts.keepPassingCases,
      servedAs,
    };
    const session = await runSession({ ...sending, targets, useCache: opts.cache, resume: opts.resume, optionNames: ctx.optionNames, planned, cachedSamples, ...(sharding ? { invocationId: sharding.invocation } : {}) });
    const shown = { model: [...models].join(','), server: baseUrls.join(','), startedAt };
    if (sharding?.mode === 'shard') {
      // A shard holds part of the cases: no verdict, tested mark or baseline comparison of its own.
      const report = buildReport({ ...shown, invocationId: session.invocationId, endedAt: ctx.clock.date().toISOString(), outcomes: session.outcomes, versions: [], baselines: [], aborted: session.aborted });
      return { ...report, shard: { ...sharding.shard, invocation: sharding.invocation } };
    }
    // Measured before the baseline comparison, which reads the measurement as deploy will.
    const measured = opts.measureLatency && !session.aborted ? await measureAgainstBaseline({ ...sending, invocationId: session.invocationId }, versions, opts.baseline!, targets) : undefined;
    const aborted = session.aborted ?? measured?.aborted;
    const report = await judged(ctx, actor, registry, project, versions, targets, { ...session, aborted }, opts, wordBaseline, shown);
    return { ...report, ...(nothingFailing.length ? { nothingFailing } : {}), ...(measured ? { latency: measured.latency } : {}) };
  } finally {
    await registry.close();
  }
}

// No memo of git's answers (infra/git-memo.ts) around the whole eval: its scope would hook every
// promise of the request path. ci's eval shares ci's; a standalone eval asks git a few times anyway.
/**
 * Evaluates versions of a project's prompts and returns the report with its verdict. Report files
 * are written whatever happened: a stopped run's files show what was scored and what was not run.
 * A run stopped by `signal` throws `InterruptedError` whose `partial` is this result.
 */
export async function runEval(opts: RunEvalOptions): Promise<EvalResult> {
  const parsed = parseOptions('runEval', EvalOptions, opts, { onProgress: callback, reportFormats: objectOption, wordBaseline: callback });
  const ctx = appContext(opts);
  requireWordings('runEval', parsed, { files: Boolean(opts.reportFormats) }, 'reportFormats');
  if (opts.reportFormats) checkReportPaths(ctx, parsed);
  const files = { reporting: false };
  try {
    return await evaluateAndReport(ctx, parsed, opts, files);
  } catch (e) {
    // Stopped before a report: its stop report (never over the run's own files, nor a signal's partial report).
    if (opts.reportFormats && !files.reporting && isPromptctlError(e) && !(e instanceof InterruptedError)) writeStopFiles(ctx, e, parsed, opts.reportFormats);
    throw e;
  }
}

async function evaluateAndReport(ctx: AppContext, parsed: z.output<typeof EvalOptions>, opts: RunEvalOptions, files: { reporting: boolean }): Promise<EvalResult> {
  boundHeapGrowthForLargeProjects(findProjectRoot(ctx.cwd, ctx.optionNames));
  const project = loadProject(ctx.cwd, { promptIds: promptIdsOfRefs(parsed.refs), env: ctx.env, optionNames: ctx.optionNames });
  await withRegisteredForms(project, { env: ctx.env, clock: ctx.clock, signal: ctx.signal });
  const warnings: string[] = [];
  // The caller's bug (a throw, or a rejected promise) stops the eval cleanly (session.ts, executor.ts), said as such.
  const cutOff = cutOffCounter();
  const progress = checkedProgress(opts.onProgress, (e) => (e.type === 'warning' ? warnings.push(e.message) : cutOff.see(e)), ctx.signal);
  const left: NotEvaluated[] = [];
  const evaluated = await evaluate(ctx, project, parsed, progress, left, opts.wordBaseline);
  for (const message of cutOff.warnings()) progress.onProgress({ type: 'warning', message });
  // Events after the session's last one (warnings while judging): their promises settle before the result.
  await progress.settled();
  // Every report of the evaluation (JUnit, Markdown, ci's HTML) shows what each case was asked.
  const report = { ...evaluated, runs: outcomesWithInputs(project, evaluated.runs), ...(left.length ? { notEvaluated: left } : {}) };
  files.reporting = true;
  // A shard's files would show part of the cases: the merge writes them.
  if (opts.reportFormats && !report.shard) writeReportFiles(ctx, report, parsed, opts.reportFormats);
  const result = evalResultOf(report, warnings, ctx.optionNames);
  // Stopped early with the signal aborted: the signal stopped it (else the server did: exit 3, a result).
  if (report.aborted && ctx.signal?.aborted) throw interruptedError(ctx.signal, report, result, ctx.optionNames);
  return result;
}

export type { ReportFiles, ReportFormats };
