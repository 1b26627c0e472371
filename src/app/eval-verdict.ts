import { InternalError, InterruptedError, STOP_SIGNALS, stopSignalOf, UnavailableError, type PromptctlError, type StopRecord, type StopSignal } from '../core/errors.js';
import type { EvalReport } from '../core/schemas/report.js';
import { optionSet, type OptionNames } from '../core/option-names.js';

/** What an eval comes to: its verdict and exit code, from the report alone (one rule for `eval`, `ci` and the library). */
export interface EvalResult {
  report: EvalReport;
  /**
   * passed: every suite passed; failed: one failed or is incomplete (a merge with a shard missing
   * included), or a suite the registry knows is gone and not retired; stopped: the server stopped the run; recorded: a shard's cases were recorded (no
   * verdict); interrupted: `signal` stopped it (only in an `InterruptedError`'s `partial`).
   */
  verdict: 'passed' | 'failed' | 'stopped' | 'recorded' | 'interrupted';
  /**
   * The exit code the CLI uses: 0, 1, or 3 (server). An interrupted run throws `InterruptedError`
   * instead, whose `partial` has the signal's code (130, 143 or 129).
   */
  exitCode: 0 | 1 | 3 | 129 | 130 | 143;
  /** Warnings also sent as progress events (a replica left out of the run). */
  warnings: string[];
  /**
   * What stopped the run, as `eval --json` prints it: with `verdict: 'stopped'`, the server (exit 3,
   * the hint to resume); in an `InterruptedError`'s `partial`, the signal.
   */
  error?: EvalStop;
}

/** A typed error as a result records it (core's StopRecord, without problems): its kind (`error`, as in every JSON error), exit code and words, why and hint always present. */
export type EvalStop = Required<Omit<StopRecord, 'problems'>>;

export function evalStopOf(e: PromptctlError): EvalStop {
  return { error: e.kind, exitCode: e.exitCode, message: e.message, why: e.why ?? '', hint: e.hint ?? '' };
}

/** The result of an eval that ran: its verdict from the report, and when the server stopped it, why and what to do. */
export function evalResultOf(report: EvalReport, warnings: string[], names: OptionNames): EvalResult {
  const verdict = verdictOf(report);
  return { report, ...verdict, warnings, ...(verdict.verdict === 'stopped' ? { error: evalStopOf(serverStopped(report, names)) } : {}) };
}

/** The server stopped the run (the circuit breaker, a server gone): exit 3, to be resumed in the caller's words. */
function serverStopped(report: EvalReport, names: OptionNames): UnavailableError {
  return new UnavailableError({
    message: `the run stopped early: ${report.aborted}`,
    why: 'results so far are recorded; cases not sent are reported as not run.',
    hint: `check the server, then ${names === 'flags' ? 'run the same command with --resume' : `run it again with ${optionSet(names, 'resume')}`} to send only what is missing.`,
  });
}

/**
 * Exit 1 when a suite failed or is incomplete, or regressed against `--baseline` (the same
 * regression check deploy applies); exit 3 when the server stopped the run.
 */
export function verdictOf(report: EvalReport): Pick<EvalResult, 'verdict' | 'exitCode'> {
  const runs = runsVerdictOf(report);
  if (runs.exitCode !== 0 || report.shard) return runs;
  return report.baselines.some((b) => b.suites.some((s) => s.regressions.length)) ? { verdict: 'failed', exitCode: 1 } : runs;
}

/** The runs' verdict alone, without the baseline comparison (ci gates regressions of its candidates only). */
export function runsVerdictOf(report: EvalReport): Pick<EvalResult, 'verdict' | 'exitCode'> {
  if (report.aborted) return { verdict: 'stopped', exitCode: 3 };
  if (report.shard) return { verdict: 'recorded', exitCode: 0 };
  // A run of a deployed version made only to compare with (`--baseline`) decides nothing. A version
  // a gone suite keeps from its mark fails as deploy would refuse it, whatever its runs here did.
  // A selection's run is judged as its suite with the selected cases merged in (`asLastRan`), never the selection alone.
  const failed = report.runs.some((r) => r.asDeployedIn === undefined && (r.asLastRan ?? r.run.summary)?.verdict !== 'passed') || report.versions.some((v) => v.goneSuites?.length);
  return failed ? { verdict: 'failed', exitCode: 1 } : { verdict: 'passed', exitCode: 0 };
}

/** Which signal stopped the eval, and who: the CLI aborts with the signal's name; a script's abort (a timeout, its own reason) is said as one. */
function stoppedBy(aborted: AbortSignal): { signal: StopSignal; who: string } {
  const signal = stopSignalOf(aborted) ?? 'SIGINT';
  return { signal, who: aborted.reason === signal ? (signal === 'SIGINT' ? 'Ctrl-C' : signal) : 'aborting `signal`' };
}

/**
 * A signal that stopped the eval before its runs were opened (while the server was checked): no
 * case was sent and no run recorded, so there is nothing to resume and no partial result.
 */
export function interruptedBeforeRuns(aborted: AbortSignal, doing: string): InterruptedError {
  const { signal, who } = stoppedBy(aborted);
  return new InterruptedError({
    signal,
    message: `interrupted while ${doing}: no case was sent`,
    why: `${who} stopped the eval before its runs started; no run was recorded.`,
    hint: 'run the same command again (there is nothing to resume).',
  });
}

/**
 * The one rule for a run a signal stopped: `InterruptedError` naming the signal (exit 129/130/143),
 * with what was kept. The partial result rides along so a caller can still show or save it.
 */
export function interruptedError(aborted: AbortSignal, report: EvalReport, result: EvalResult, names: OptionNames): InterruptedError<EvalResult> {
  const { signal, who } = stoppedBy(aborted);
  const kept = report.runs.reduce((n, r) => n + (r.run.summary?.samples ?? 0), 0);
  // Its error is the interruption, not the server's stop the aborted report would otherwise give it.
  const partial: EvalResult = { ...result, verdict: 'interrupted', exitCode: STOP_SIGNALS[signal] };
  // In the caller's words (a script that aborts with 'SIGTERM' to get exit 143 is still a script).
  const flags = names === 'flags';
  const interrupted = new InterruptedError({
    signal,
    partial,
    message: `interrupted: ${kept} result${kept === 1 ? '' : 's'} kept; ${flags ? 'run the same command with --resume' : `run it again with ${optionSet(names, 'resume')}`}`,
    why: `${who} stopped dispatching; every answer that arrived was recorded, and cases not sent are reported as not run.`,
    hint: flags ? 'run the same command with --resume (the library: `resume: true`) to send only what is missing.' : `run it again with ${optionSet(names, 'resume')} to send only what is missing.`,
  });
  partial.error = evalStopOf(interrupted);
  return interrupted;
}

/**
 * A callback the caller gave (`onProgress`) threw: the eval stops as a signal stops it, and says so
 * with the callback's own error as `cause`. Exit 70, a bug: in the program that passed the callback
 * (the CLI's is its renderer, so there a bug in promptctl, as an uncaught error was before); it is
 * no input a user of the CLI could correct.
 */
export function callbackFailed(name: string, thrown: unknown): InternalError {
  return new InternalError({
    message: `${name} threw: ${thrown instanceof Error ? thrown.message : String(thrown)}`,
    why: `the eval stops when its ${name} callback throws: nothing more was sent, requests in flight were cancelled, every answer that arrived was recorded, and a run it stopped was left aborted.`,
    hint: `the callback's own error is this error's \`cause\`: fix the callback (from the promptctl CLI this is a bug: please report it with the command you ran), then run again with resume: true (--resume) to send only what is missing.`,
    cause: thrown,
  });
}
