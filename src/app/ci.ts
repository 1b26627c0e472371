import { z } from 'zod';
import { deletedDeployedProblems, deletedSuiteProblems, editedVersionProblems, lintedFiles } from '../core/ci/checks.js';
import { byVersion, planCi, type CiPlan } from '../core/ci/plan.js';
import type { CiResult } from '../core/ci/result.js';
import { InterruptedError, isPromptctlError, stopRecordOf, type Problem } from '../core/errors.js';
import { requireBaselineEnvironment } from './eval-baseline.js';
import type { LintOutcome } from '../core/lint/outcome.js';
import { parsePromptRef } from '../core/refs.js';
import { checkedPhases, type ProgressCallback } from './progress.js';
import { changedFiles, followLinks, resolveBaseRef } from '../infra/git-base.js';
import { originHead } from '../infra/git.js';
import { chooseBase, type BaseChoice } from '../core/ci/base-choice.js';
import { headOnBaseError } from '../core/ci/base-errors.js';
import { githubEventPayload } from '../infra/ci-event.js';
import { projectPathIn } from '../infra/project.js';
import { suitesFor } from '../infra/eval/targets.js';
import { deletionFacts, deployedElsewhere, diffsFor, filesFor, linkedFiles, notServedRuns, shapeOf, withSameContent } from './ci-facts.js';
import { versionAtTip } from './versions-at-base.js';
import { checkTrust, trustRefusals, type TrustState } from './ci-trust.js';
import { appContext, type AppContext, type AppOptions } from './context.js';
import { callback, objectOption, parseOptions } from './options.js';
import { checkReportPaths, requireWordings } from './eval-reports.js';
import { repositoryPathOf, writeCiFiles, type CiFormats } from './ci-files.js';
import type { RunEvalOptions } from './eval.js';
import { evaluateChanges } from './ci-evaluate.js';
import { runsVerdictOf } from './eval-verdict.js';
import { lintProject } from './lint.js';
import { signerFor } from '../infra/signing.js';
import { recordingActor } from './accountability.js';
import { currentAnchor } from './audit.js';
import { checkRevisions, supersedeRevisions } from './ci-revisions.js';
import { shardingOf } from './eval-shard.js';
import { policyFailures } from './ci-policy.js';
import { gatesRun } from '../core/ci/gating.js';
import { loadCiProject } from './ci-project.js';
import { withRegisteredForms } from '../infra/registered-form.js';
import { withGitMemo } from '../infra/git-memo.js';
import { editedRestoreSources } from './released-on-base.js';

export type { CiResult } from '../core/ci/result.js';

/**
 * `runCi`: the pull-request gate. Lints what changed, evaluates new versions (and versions whose
 * suites changed), compares the candidates with the version deployed in the baseline environment,
 * writes JUnit and a Markdown summary, and returns the verdict with exit 0, 1 (a gate failed),
 * 2 (bad files) or 3 (server). A typed error that stops ci once it has started is returned, not
 * thrown: the result keeps what was learnt (plan, lint, audit head) with `error` set and the exit
 * code from it, as eval returns its report when the breaker stops a run, so the files, the
 * annotations and `--json` all describe it. Options refused before anything runs still throw.
 */

export const CiOptions = z.object({
  base: z.string().optional(),
  baseline: z.string().optional(),
  junit: z.string().optional(),
  summary: z.string().optional(),
  html: z.string().optional(),
  /** `i/n`: evaluate shard i of n of the cases into the team registry; `merge` gives the verdict. */
  shard: z.string().optional(),
  /** Judge the shards of this CI run together: the verdict, tested marks, JUnit and summary. */
  merge: z.boolean().default(false),
  invocation: z.string().optional(),
  /** Measure p95 latency of the evaluated versions against the baseline's, interleaved (the only latency verdict). */
  measureLatency: z.boolean().default(false),
});
export type CiOptions = z.input<typeof CiOptions>;


export interface RunCiOptions extends CiOptions, AppOptions {
  /** The evaluations' progress; may be async, as runEval's (progress.ts). */
  onProgress?: ProgressCallback;
  /** Called before and after the evaluation, when there is one (the CLI starts and stops its progress view). */
  onEvaluation?: (phase: 'start' | 'stop') => void | Promise<void>;
  /** How the files are worded; `junit`, `summary` or `html` without it (or without its `html`) is an InputError. */
  formats?: CiFormats;
  wordBaseline?: RunEvalOptions['wordBaseline'];
}

const EMPTY_PLAN: CiPlan = { lintFiles: [], evaluate: [], coveringSuites: [], editedVersions: [], renamed: [], deletedVersions: [], sameContent: [], deleted: [], configChanged: false, nothingChanged: false };

function emptyResult(base: string, baseline: string): CiResult {
  const lint: LintOutcome = { files: 0, errors: 0, warnings: 0, problems: [] };
  return { base, baseline, plan: EMPTY_PLAN, lint, notEvaluated: [], diffs: [], informational: [], noBaseline: [], revised: [], verdict: 'passed', exitCode: 0 };
}

/**
 * The steps of ci, filling `result` as they go, so that what was learnt before a typed error
 * (the plan, the lint results) is still in the summary written for it.
 */
async function runSteps(ctx: AppContext, opts: RunCiOptions, result: CiResult, trust: TrustState, choice: BaseChoice): Promise<CiResult> {
  const project = loadCiProject(ctx, choice);
  const envs = project.config.environments.map((e) => e.name);
  const baseline = opts.baseline ?? envs[envs.length - 1]!;
  result.baseline = baseline;
  requireBaselineEnvironment(project, baseline, ctx.optionNames);
  // A shard job writes no report files, and sharding needs the team registry: both refused before anything runs.
  const sharding = shardingOf(project, { ...opts, reportFiles: { junit: opts.junit, summary: opts.summary, html: opts.html } }, ctx);
  const resolved = resolveBaseRef(project.root, choice, ctx.optionNames);
  result.base = resolved.ref;
  // Server, registry and keys the pull request changes, known before anything can open them.
  const { moved, baseConfigText } = checkTrust(project, resolved, ctx.env, result, trust);
  const base = followLinks(project.root, resolved, linkedFiles(project));
  // GitHub resolves an annotation's file against the checkout (GITHUB_WORKSPACE), not the project.
  result.repositoryPath = projectPathIn(project.root, ctx.env.GITHUB_WORKSPACE || base.top);
  const changes = withSameContent(project, base, byVersion(changedFiles(project.root, base)), baseConfigText);
  const plan = planCi(changes, shapeOf(project));
  result.plan = plan;
  // A push, a schedule or a tag compared with the branch it is on: an empty change is no pass.
  if (plan.nothingChanged && resolved.headOnBase?.()) {
    result.headOnBase = true;
    throw headOnBaseError(choice, result.base, baseline, ctx.optionNames);
  }
  if (plan.evaluate.length) result.files = filesFor(project, plan);
  // With anything to evaluate: refused before the server or registry is opened; alone, linted.
  const trustRefused = trustRefusals(moved, plan, project, result.base);
  const lintFiles = new Set([...plan.lintFiles, ...plan.coveringSuites]);
  const { attackLintOptions } = await import('../infra/eval/attacks.js');
  const lint = lintProject(project, { only: (f) => lintFiles.has(f), strict: false, ...attackLintOptions() });
  const refused: Problem[] = [...trustRefused, ...editedVersionProblems(plan, result.base, changes, editedRestoreSources(project, base, plan))];
  const newRefs = plan.evaluate.filter((e) => e.why === 'new version').map((e) => e.ref);
  // What deleted versions run and whether new ones were registered: read from the registry, which a refused trust change keeps closed.
  // From here on a version registered before 0.2.0 is known by its registered hash (registered-form.ts).
  if (!trustRefused.length) await withRegisteredForms(project, ctx);
  const revisions = trustRefused.length ? { problems: [], revised: [] } : await checkRevisions(project, ctx, newRefs, { name: result.base, at: versionAtTip(project, resolved) });
  if (!trustRefused.length) {
    const deletions = await deletionFacts(project, ctx, plan);
    if (deletions.unchecked) result.deletionsUnchecked = deletions.unchecked;
    refused.push(...deletedDeployedProblems(plan, deletions.activeIn, result.base), ...deletedSuiteProblems(plan, deletions.testedOn, result.base), ...revisions.problems);
  }
  lint.problems.unshift(...refused);
  lint.errors += refused.length;
  // lintProject counts prompts and suites only; ci's count is the files its checks covered.
  lint.files = lintedFiles(plan, lint.problems).length;
  result.lint = lint;
  if (plan.nothingChanged) return Object.assign(result, { verdict: 'nothing-changed' });
  if (lint.errors) return Object.assign(result, { verdict: 'lint-failed', exitCode: 2 });
  result.revised = await supersedeRevisions(project, ctx, revisions.revised, recordingActor(ctx), signerFor(project.config.signing, ctx.env, 'evaluator'));

  const withSuites = plan.evaluate.filter((e) => {
    const ref = parsePromptRef(e.ref);
    const file = project.prompts.find((p) => p.id === ref.id && p.version === ref.version);
    return file && suitesFor(project, file).length > 0;
  });
  result.notEvaluated = plan.evaluate.filter((e) => !withSuites.includes(e)).map((e) => ({ ref: e.ref, why: 'no suite applies to this version, so it cannot be tested' }));
  const { createTwoFilesPatch } = await import('diff');
  result.diffs = diffsFor(project, newRefs, createTwoFilesPatch);
  // A shard has no verdict: the merge judges a model upgrade, as one unsharded ci would (ci-evaluate.ts).
  const interrupted = await evaluateChanges(ctx, opts, project, result, { refs: withSuites.map((e) => e.ref), baseline, modelUpgrades: plan.configChanged && sharding?.mode !== 'shard' });
  const candidates = new Set(plan.evaluate.filter((e) => e.candidate).map((e) => e.ref));
  let gating = 0;
  for (const b of result.report?.baselines ?? []) {
    const ref = `${b.promptId}@${b.version}`;
    const regressions = b.suites.flatMap((s) => s.regressions);
    if (candidates.has(ref)) {
      gating += regressions.length;
      if (b.baselineVersion === null && !result.noBaseline.includes(b.promptId)) result.noBaseline.push(b.promptId);
    } else if (regressions.length && b.baselineVersion) result.informational.push({ ref, env: b.env, baselineVersion: b.baselineVersion, regressions });
  }
  // Nothing deployed in the baseline, but elsewhere: the baseline environment is new, not the registry missing.
  const elsewhere = await deployedElsewhere(project, ctx, result.noBaseline, baseline);
  if (elsewhere.length) result.deployedElsewhere = elsewhere;
  // A signal (Ctrl-C, SIGTERM, SIGHUP) also stops the run early; it is not the server's fault and
  // exits with the signal's code, as eval does.
  if (interrupted) return Object.assign(result, { verdict: 'interrupted', exitCode: interrupted.exitCode });
  // The baseline environment's own gates on the candidates' runs (leaks, minimums), as deploy there applies them.
  const ran = new Set((result.report?.runs ?? []).map((o) => `${o.run.promptId}@${o.run.version}`));
  // A candidate with shards missing from a merge is not judged here: its runs lack those shards'
  // cases, so a gate would say "no finished run: run eval" where the missing shards are why (INCOMPLETE says so).
  const partial = new Set((result.report?.merge?.missing ?? []).map((m) => `${m.promptId}@${m.version}`));
  if (result.report && !result.report.aborted && sharding?.mode !== 'shard') {
    const policy = await policyFailures(ctx, project, [...candidates].filter((r) => ran.has(r) && !partial.has(r)), result.baseline);
    if (policy.length) result.policy = policy;
  }
  // Only the candidates gate, on their suites as on regressions (counted above): an older version a
  // changed suite re-evaluates is reported, its failed suite too; so is a run on a matrix model no
  // environment would serve (core/ci/gating.ts).
  const notServed = notServedRuns(project, result.report, candidates);
  if (notServed.length) result.notServed = notServed;
  const gated = result.report && { ...result.report, runs: result.report.runs.filter(gatesRun(candidates, notServed)) };
  const code = gated ? runsVerdictOf(gated).exitCode : 0;
  if (code === 3) return Object.assign(result, { verdict: 'server-unavailable', exitCode: 3, error: serverStopped(result.report?.aborted) });
  if (sharding?.mode === 'shard') return Object.assign(result, { verdict: 'shard-recorded', exitCode: 0, shard: { ...sharding.shard, invocation: sharding.invocation } });
  if (sharding?.mode === 'merge') result.merge = result.report?.merge ?? { invocation: sharding.invocation, count: null, missing: [] };
  // A shard missing from the merge: the verdict is incomplete, never passed.
  if (result.merge?.missing.length) return Object.assign(result, { verdict: 'incomplete', exitCode: 1 });
  if (code === 1 || gating || result.policy?.length || result.notEvaluated.length || result.modelUpgrades?.some((u) => !u.allowed)) return Object.assign(result, { verdict: 'gate-failed', exitCode: 1 });
  return result;
}

/** git's answers are kept for the command (infra/git-memo.ts): each is asked once however many checks ask it. */
export async function runCi(opts: RunCiOptions): Promise<CiResult> {
  return withGitMemo(() => runCiNow(opts));
}

async function runCiNow(opts: RunCiOptions): Promise<CiResult> {
  const own = parseOptions('runCi', CiOptions, opts, { onProgress: callback, onEvaluation: callback, formats: objectOption, wordBaseline: callback });
  const ctx = appContext(opts);
  const parsed = { ...opts, ...own, onEvaluation: checkedPhases(opts.onEvaluation, { signal: ctx.signal, onProgress: opts.onProgress }) };
  requireWordings('runCi', parsed, { files: Boolean(opts.formats), html: Boolean(opts.formats?.html) }, 'formats');
  // A mistyped report path fails before anything runs or is recorded.
  if (opts.formats) checkReportPaths(ctx, parsed);
  const choice = chooseBase(ctx.env, githubEventPayload(ctx.env), parsed.base, () => originHead(ctx.cwd));
  const result = emptyResult(choice.refs[0]!, parsed.baseline ?? '');
  // The audit head is read only once ci knows the branch names the base's registry (not before
  // the trust check, whose error path must not open a registry the pull request chose).
  const trust: TrustState = { cleared: false };
  try {
    await runSteps(ctx, parsed, result, trust, choice);
  } catch (e) {
    if (!isPromptctlError(e)) throw e;
    if (trust.cleared) Object.assign(result, await currentAnchor(ctx.cwd, ctx));
    result.repositoryPath ??= repositoryPathOf(ctx.cwd, ctx.env);
    result.error = stopRecordOf(e);
    // A signal before the eval is ci's interruption, as one during it (runSteps): verdict 'interrupted', the signal's exit code.
    const interrupted = e instanceof InterruptedError;
    Object.assign(result, { verdict: interrupted ? 'interrupted' : 'error', exitCode: e.exitCode });
    try {
      if (opts.formats) await writeCiFiles(ctx, parsed, opts.formats, result);
    } catch {
      // The error that stopped ci is the one to report; a summary that cannot be written adds nothing.
    }
    return result;
  }
  // Not the registry the pull request names instead of the base's: ci opens neither (see above).
  if (trust.cleared) Object.assign(result, await currentAnchor(ctx.cwd, ctx));
  // A shard's files would show part of the cases: the merge writes them.
  if (opts.formats && result.verdict !== 'shard-recorded') {
    try {
      await writeCiFiles(ctx, parsed, opts.formats, result);
    } catch (e) {
      // A report that cannot be written (a full disk) is ci's error, returned with what ci found.
      if (!isPromptctlError(e)) throw e;
      Object.assign(result, { error: stopRecordOf(e), verdict: e instanceof InterruptedError ? 'interrupted' : 'error', exitCode: e.exitCode });
    }
  }
  return result;
}

/** The server stopped ci's eval (exit 3): said as an error with why and what to do, in every output (text, summary, JUnit, annotations). */
function serverStopped(aborted: string | undefined): NonNullable<CiResult['error']> {
  return {
    error: 'Unavailable',
    exitCode: 3,
    message: `the eval stopped early: ${aborted ?? 'the server could not be used'}`,
    why: 'the server failed under the run; the results so far are recorded, and the cases not sent are reported as not run.',
    hint: 'check the server (server.base_url in .promptrc.yaml), then run `promptctl ci` again: answers already received are cached and not sent again.',
    problems: [],
  };
}
