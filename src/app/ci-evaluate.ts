import type { CiResult } from '../core/ci/result.js';
import { InterruptedError } from '../core/errors.js';
import type { Project } from '../infra/project.js';
import { checkModelUpgrades } from './ci-model-upgrade.js';
import type { AppContext } from './context.js';
import { runEval, type EvalResult, type RunEvalOptions } from './eval.js';

/** What of runCi's options its evaluations take. */
type EvaluationOptions = Pick<RunEvalOptions, 'shard' | 'merge' | 'invocation' | 'measureLatency' | 'onProgress' | 'wordBaseline'> & {
  onEvaluation?: (phase: 'start' | 'stop') => void | Promise<void>;
};

/**
 * ci's evaluations, each between the caller's `onEvaluation` start and stop: the versions the pull
 * request adds or whose suites it changes, then (`modelUpgrades`: a changed environment model, not a
 * shard) what each environment serves, on its new model. A merge evaluates that itself, unsharded:
 * the shards split the pull request's cases, not what environments serve, and the merge's verdict
 * must be the unsharded one; a merge with shards missing skips it (incomplete whatever it finds,
 * and the next merge makes it). Fills `result.report` and
 * `result.modelUpgrades`; returns the interruption when a signal stopped either, which ends ci
 * with the signal's exit code and a summary of what was kept.
 */
export async function evaluateChanges(
  ctx: AppContext,
  opts: EvaluationOptions,
  project: Project,
  result: CiResult,
  run: { refs: string[]; baseline: string; modelUpgrades: boolean },
): Promise<InterruptedError | undefined> {
  let interrupted: InterruptedError | undefined;
  if (run.refs.length) {
    await opts.onEvaluation?.('start');
    try {
      const shards = { shard: opts.shard, merge: opts.merge, invocation: opts.invocation, measureLatency: opts.measureLatency };
      result.report = (await runEval({ refs: run.refs, baseline: run.baseline, ...shards, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock, signal: ctx.signal, optionNames: ctx.optionNames, onProgress: opts.onProgress, wordBaseline: opts.wordBaseline })).report;
    } catch (e) {
      // A signal stopped the eval: what it kept is still summarised, and ci exits as the signal says.
      if (!(e instanceof InterruptedError) || !e.partial) throw e;
      interrupted = e;
      result.report = (e.partial as EvalResult).report;
    } finally {
      await opts.onEvaluation?.('stop');
    }
  }
  // A changed environment model: what is deployed there, re-evaluated on it, compared and gated.
  if (run.modelUpgrades && !interrupted && !result.report?.merge?.missing.length) {
    await opts.onEvaluation?.('start');
    try {
      const upgrades = await checkModelUpgrades(ctx, project, opts.onProgress);
      if (upgrades.length) result.modelUpgrades = upgrades;
    } catch (e) {
      // Stopped while evaluating what environments serve: ci's own interruption (its summary and
      // exit code), not the eval's "run it again with --resume", which ci does not take.
      if (!(e instanceof InterruptedError)) throw e;
      interrupted = e;
    } finally {
      await opts.onEvaluation?.('stop');
    }
  }
  return interrupted;
}
