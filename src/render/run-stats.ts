import { shownSample } from '../core/compare.js';
import type { CaseOutcome, EvalReport, RunOutcome } from '../core/schemas/report.js';
import { pct } from '../core/percent.js';
import { adversarialMetrics } from '../core/eval/aggregate.js';
import { attackIntervals, suitePassRateInterval } from '../core/eval/intervals.js';
import { ciRange, counted, ms, needCell } from './text.js';
import { cutMiddle, displayWidth, fitWidth, type CellCut } from './table.js';
import type { RunSummary, SampleResult } from '../core/schemas/run.js';

/**
 * What the renderers read from a run. The runner normally stores a summary; a run that was still
 * going (or aborted before its summary was written) has none, so the renderers derive one from the
 * cases rather than printing blanks. The rules mirror core/eval/aggregate.ts (whose verdict also
 * weighs error rates; here a missing summary simply reads as incomplete when cases did not run).
 */

/** `support-faq@1.1.0` */
/**
 * A run's version as every output names it, marked when the run holds only some of the suite's
 * cases (`--case`, `--tag`, `--sample`, `--filter-failing`, a shard): its rate is not the suite's.
 */
/**
 * The baseline rows compare each suite's counting run, the latest complete one: a partial run of
 * this eval (a subset of the cases, another sample count) is not it, so its pass rate and the row's
 * differ. Said beside the rows, never left for the reader to wonder. Undefined when no such run.
 */
export function partialRunsNote(report: EvalReport): string | undefined {
  const compared = new Set(report.baselines.map((b) => `${b.promptId}@${b.version}`));
  const partial = report.runs.filter((o) => o.run.summary?.partial && !o.run.summary.shard && !o.run.summary.latency && compared.has(`${o.run.promptId}@${o.run.version}`));
  if (!partial.length) return undefined;
  const runs = partial.map((o) => `${o.run.promptId}@${o.run.version} ${o.run.suite}`).join(', ');
  return `${runs}: this eval's run is partial (a subset of the cases or another sample count), so the row compares the suite's latest complete run instead`;
}

export function versionLabel(o: RunOutcome): string {
  const tag = runTag(o.run.summary);
  const part = tag ? ` [${tag}]` : '';
  const served = o.asDeployedIn !== undefined ? ` [as deployed in ${o.asDeployedIn}]` : '';
  return `${o.run.promptId}@${o.run.version}${o.showModel ? `:${o.run.model}` : ''}${served}${part}`;
}

/**
 * What sets a run apart from a full run of the same version, suite and model, in its name: a shard,
 * an arm of a latency measurement (`--measure-latency`: recorded beside the eval's own run of the
 * same suite), or another partial run; null for a full run. The text tables and the HTML report's
 * run names (its runs table, headings and case filter) all say it.
 */
export function runTag(s: Pick<RunSummary, 'shard' | 'latency' | 'partial'> | undefined): string | null {
  return s?.shard ? `shard ${s.shard.index}/${s.shard.count}` : s?.latency ? 'latency measurement' : s?.partial ? 'partial' : null;
}

/**
 * The fewest columns a cut prompt id keeps: 4 letters each side of the … (`supp…swer`), so ids that
 * share a prefix and a suffix's first letters (`support-answer`, `support-helper`) still read apart.
 */
const MIN_ID_SHOWN = 9;

/**
 * How a table cuts a `versionLabel` to its width: the prompt id loses letters in its middle, and
 * `@version` with what follows it is never cut, so versions of one prompt stay apart
 * (`supp…swer@1.0.0`, `supp…swer@1.1.0`). Prompt ids are ASCII slugs: one column per letter.
 */
export const versionLabelCut: CellCut = {
  fit(text, width) {
    const at = text.indexOf('@');
    if (at < 0) return fitWidth(text, width);
    const id = text.slice(0, at);
    const room = Math.max(MIN_ID_SHOWN, width - displayWidth(text.slice(at)));
    return `${cutMiddle(id, room)}${text.slice(at)}`;
  },
  min(text) {
    const at = text.indexOf('@');
    return at < 0 ? Math.min(displayWidth(text), 6) : Math.min(at, MIN_ID_SHOWN) + displayWidth(text.slice(at));
  },
};

/** Nearest-rank percentile of an ascending array; 0 when empty. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

/**
 * The stored summary, or one derived from the cases; for a selection's run that eval judged as its
 * suite as the cases last ran (`asLastRan`), that suite's verdict and case counts: what eval reports
 * and exits on (the selection's own result is said beside it, render/as-last-ran.ts).
 */
export function runStats(o: RunOutcome): RunSummary {
  const own = ownRunStats(o);
  const s = o.asLastRan;
  return s ? { ...own, verdict: s.verdict, passRate: s.passRate, cases: s.cases, passed: s.passed, failed: s.failed, errored: s.errored, notRun: s.notRun } : own;
}

/** The run's own summary: the stored one, or one derived from its cases. */
export function ownRunStats(o: RunOutcome): RunSummary {
  if (o.run.summary) return o.run.summary;
  const count = (v: CaseOutcome['verdict']): number => o.cases.filter((c) => c.verdict === v).length;
  const passed = count('pass');
  const failed = count('fail');
  const errored = count('error');
  const notRun = count('not-run');
  const samples = o.cases.flatMap((c) => c.samples);
  const latencies = samples.filter((s) => s.verdict !== 'error').map((s) => s.latencyMs).sort((a, b) => a - b);
  const summary: RunSummary = {
    cases: o.cases.length,
    passed,
    failed,
    errored,
    notRun,
    samples: samples.length,
    // Share of all cases, as core/eval/aggregate.ts computes it.
    passRate: o.cases.length === 0 ? 0 : passed / o.cases.length,
    verdict: notRun > 0 || o.cases.length === 0 ? 'incomplete' : passed / o.cases.length >= o.threshold ? 'passed' : 'failed',
    latencyP50: percentile(latencies, 50),
    latencyP95: percentile(latencies, 95),
    latencyP99: percentile(latencies, 99),
    tokensIn: samples.reduce((n, s) => n + s.tokensIn, 0),
    tokensOut: samples.reduce((n, s) => n + s.tokensOut, 0),
  };
  if (o.run.suiteKind === 'adversarial') Object.assign(summary, adversarialMetrics(o.cases));
  return summary;
}

/**
 * Whether a run (or the totals of several) has a pass rate to show: some case judged and none left
 * not run (why, below). The one rule of every format: text, Markdown, JUnit, HTML. `--json` keeps
 * the recorded share as data. Totals carry no verdict: a case not run there means an incomplete run.
 */
export function passRateShown(s: { passed: number; failed: number; notRun: number; verdict?: RunSummary['verdict'] }): boolean {
  return s.passed + s.failed > 0 && !((s.verdict ?? 'incomplete') === 'incomplete' && s.notRun > 0);
}

/**
 * A run's pass rate (beside its threshold), its interval over the cases and its latency
 * percentiles, as the run tables show them. A run none of whose cases was judged (every request
 * got an error, or none was sent) has no pass rate to show: `– (need 75.0%)` and no interval, where
 * `0.0% (need 75.0%)` and `0.0–49.0%` would say its cases were judged and failed; its verdict is
 * unchanged (incomplete). With no answered request there is no latency either: `–`, not `0ms`.
 * An incomplete run with cases not run (stopped, or cut short by the server) has none either: its
 * share of all cases would count those as failed, `8.4% (need 99.5%)` beside 16 passed and 0
 * failed; the PASSED, FAILED and NOT RUN counts say how far it got.
 */
export function runCells(o: RunOutcome, s: RunSummary = runStats(o)): { passRate: string; ci: string; p50: string; p95: string } {
  const judged = passRateShown(s);
  // Passing cases may have been dropped from memory, but then `passed` says a request was answered.
  const answered = s.passed + s.failed > 0 || o.cases.some((c) => c.samples.some((x) => x.verdict !== 'error'));
  return {
    passRate: needCell(judged ? s.passRate : null, o.threshold),
    ci: judged ? ciRange(suitePassRateInterval(s)) : '–',
    p50: answered ? ms(s.latencyP50) : '–',
    p95: answered ? ms(s.latencyP95) : '–',
  };
}

/**
 * "injection resistance 97.3% (95% CI 93.9–98.9%; 5 of 188 attacks succeeded)", or null for runs
 * recorded before the metric existed. One wording for every renderer. The interval is the overall
 * attack success rate's, turned around (resistance is 1 - attack success).
 */
export function resistanceText(s: RunSummary): string | null {
  if (s.resistance === undefined) return null;
  // No attack judged (every request errored, or none was sent): no resistance to state, not 0.0%.
  const pctText = s.attacks ? pct(s.resistance) : '–';
  const a = attackIntervals(s).attackSuccessRate;
  const ci = a ? `95% CI ${ciRange({ lower: 1 - a.upper, upper: 1 - a.lower, trials: a.trials })}; ` : '';
  return `injection resistance ${pctText} (${ci}${s.attacksSucceeded ?? 0} of ${s.attacks ?? 0} attacks succeeded)`;
}

/** A case that did not pass, with the run it belongs to. */
export interface ProblemCase {
  outcome: RunOutcome;
  case: CaseOutcome;
}

/** Failed and errored cases in report order: failures first, then errors (wrong answers matter most). */
export function problemCases(report: EvalReport): ProblemCase[] {
  const all = report.runs.flatMap((outcome) => outcome.cases.map((c) => ({ outcome, case: c })));
  return [...all.filter((p) => p.case.verdict === 'fail'), ...all.filter((p) => p.case.verdict === 'error')];
}

/** The first failing sample's first reason, or the first error, as a short description. */
export function firstProblem(c: CaseOutcome): { reason: string; sample?: SampleResult } {
  // The sample compare and the HTML report show for the case: its first failure, else its first error.
  const shown = shownSample(c);
  if (shown?.verdict === 'fail') {
    const r = shown.reasons[0];
    return { reason: r ? `${r.expectation}: ${r.message}` : 'failed', sample: shown };
  }
  if (shown?.verdict === 'error') return { reason: `error: ${shown.error ?? 'unknown error'}`, sample: shown };
  return { reason: c.verdict === 'not-run' ? 'not run' : c.verdict };
}

/** Failed regression checks, the proven regressions apart from the inconclusive ones (both fail the gate). */
export interface FailedChecks {
  regressions: number;
  inconclusive: number;
  /** ci: the baseline environment's own gates (leaks, minimums) its candidates' runs fail. */
  policy?: number;
}

/** How many checks fail the gate, whatever kind. */
export function failingCount(n: FailedChecks): number {
  return n.regressions + n.inconclusive + (n.policy ?? 0);
}

/** Failed regression checks against the baseline in the report: each fails the gate, as in deploy. */
export function failedChecksOfReport(report: EvalReport): FailedChecks {
  return failedChecksOf(report.baselines.flatMap((b) => b.suites));
}

export function failedChecksOf(suites: ReadonlyArray<{ regressions: readonly string[]; inconclusive?: readonly string[] }>): FailedChecks {
  const inconclusive = suites.reduce((n, s) => n + (s.inconclusive?.length ?? 0), 0);
  return { regressions: suites.reduce((n, s) => n + s.regressions.length, 0) - inconclusive, inconclusive };
}

/**
 * `2 regressions`, `1 inconclusive check`, `1 regression and 1 inconclusive check`: an
 * inconclusive check is never counted as a regression.
 */
export function failedChecksText(n: FailedChecks): string {
  const policy = n.policy ?? 0;
  const parts = [
    n.regressions || (!n.inconclusive && !policy) ? counted(n.regressions, 'regression') : '',
    n.inconclusive ? counted(n.inconclusive, 'inconclusive check') : '',
    policy ? counted(policy, 'environment limit') : '',
  ].filter(Boolean);
  return parts.length > 2 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts.join(' and ');
}

/** The verb after `failedChecksText`: `1 regression fails`, `2 regressions fail`. */
export const failVerb = (n: FailedChecks): string => (failingCount(n) === 1 ? 'fails' : 'fail');

/**
 * The report's verdict as shown: `regressed` when every run passed its threshold but a regression
 * against the baseline fails the gate (`regressions`: how many gate, by default all of them).
 */

export function overallVerdict(report: EvalReport, regressions = failingCount(failedChecksOfReport(report))): 'passed' | 'failed' | 'incomplete' | 'aborted' | 'empty' | 'regressed' {
  if (report.aborted) return 'aborted';
  if (report.runs.length === 0) return 'empty';
  const verdicts = report.runs.map((r) => runStats(r).verdict);
  if (verdicts.includes('failed')) return 'failed';
  if (verdicts.includes('incomplete')) return 'incomplete';
  return regressions > 0 ? 'regressed' : 'passed';
}
