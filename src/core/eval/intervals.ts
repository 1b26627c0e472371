import type { CaseOutcome, RateInterval, RunIntervals, RunOutcome } from '../schemas/report.js';
import type { RunSummary } from '../schemas/run.js';
import { clusteredRateInterval, wilsonFromRate } from '../stats/index.js';
import { adversarialMetrics } from './aggregate.js';

/**
 * The 95% intervals shown beside every rate a report prints (issue 13, item 1). Computed from the
 * report's own counts whenever a report is built or rendered, never stored: a run's recorded
 * summary stays what integrity checks recompute. Each interval is over the unit its rate counts:
 *  - a suite's pass rate is passed cases / cases: Wilson over the cases, whatever the repeat (a
 *    case is one verdict however many samples decided it);
 *  - a case's pass rate is passing / scored samples: Wilson over its samples;
 *  - with repeat > 1 a run also has a sample pass rate, passing / scored samples over all cases:
 *    its samples are clustered in cases, so the interval is the cluster-robust one (core/stats);
 *  - an attack success rate is attacks that succeeded / attacks: Wilson over the attacks.
 * An interval goes beside its rate, never in place of it: verdicts stay the point rules.
 */

export type { RateInterval, RunIntervals };

export const RATE_CONFIDENCE = 0.95;

/** Wilson's interval of `rate` over `n` trials: taken from the rate the report states, so it is that rate's interval. */
function wilson(rate: number, n: number, over: RateInterval['over']): RateInterval {
  const i = wilsonFromRate(n > 0 ? rate : 0, n, RATE_CONFIDENCE);
  return { estimate: i.estimate, lower: i.lower, upper: i.upper, confidence: i.confidence, method: 'wilson', over, trials: n };
}

/** A suite's pass rate (passed cases / cases), over its cases. */
export function suitePassRateInterval(s: Pick<RunSummary, 'passRate' | 'cases'>): RateInterval {
  return wilson(s.passRate, s.cases, 'cases');
}

function scoredCounts(c: CaseOutcome): { passes: number; samples: number } {
  let passes = 0;
  let fails = 0;
  for (const s of c.samples) {
    if (s.verdict === 'pass') passes++;
    else if (s.verdict === 'fail') fails++;
  }
  return { passes, samples: passes + fails };
}

/** A case's pass rate (passing / scored samples, as `CaseOutcome.passRate`), over its samples. */
export function casePassRateInterval(c: CaseOutcome): RateInterval {
  const { passes, samples } = scoredCounts(c);
  return wilson(samples ? passes / samples : 0, samples, 'samples');
}

/**
 * A case's pass rate as its verdict weighs it (passing / all samples, an errored sample not a pass:
 * core/scoring caseVerdictOf), over all its samples: the interval of the rate the HTML case detail
 * and the Markdown failure rows show, so that rate always lies inside it. (`casePassRateInterval`,
 * over the answered samples only, could sit above it: 3 passed and 7 errored read 30% beside 43.9–100%.)
 */
export function caseVerdictRateInterval(c: CaseOutcome): RateInterval {
  return wilson(caseVerdictRate(c) ?? 0, c.samples.length, 'samples');
}

/**
 * The rate a case's verdict weighs: passing samples of all its samples, an errored one counting as
 * not passed (core/scoring caseVerdictOf), as every report shows it beside "x/y samples passed" and
 * the minimum. It meets the minimum exactly when the case passed; `CaseOutcome.passRate` (of the
 * answered samples) read 100% of a needed 80% on a case with 4 of 5 passed and 1 errored. Null for
 * a case with no samples (not run): no rate.
 */
export function caseVerdictRate(c: CaseOutcome): number | null {
  const n = c.samples.length;
  return n ? c.samples.filter((s) => s.verdict === 'pass').length / n : null;
}

/**
 * The pass rate over all scored samples of a run whose cases ran several samples each, clustered
 * by case; null when no case has more than one scored sample (then the suite rate says it all).
 */
export function samplePassRateInterval(cases: readonly CaseOutcome[]): RateInterval | null {
  const counts = cases.map(scoredCounts);
  if (!counts.some((c) => c.samples > 1)) return null;
  const i = clusteredRateInterval(counts, RATE_CONFIDENCE);
  return { estimate: i.estimate, lower: i.lower, upper: i.upper, confidence: i.confidence, method: 'clustered', over: 'samples', trials: i.effectiveTrials };
}

/** Attack success rates, overall (over attacks run) and per category (over its attacks), as the summary counts them. */
export function attackIntervals(s: Pick<RunSummary, 'categories' | 'attacks' | 'attacksSucceeded'>): Pick<RunIntervals, 'attackSuccessRate' | 'categories'> {
  const out: Pick<RunIntervals, 'attackSuccessRate' | 'categories'> = {};
  // Summaries recorded before the overall counts existed have categories only.
  if (s.attacks !== undefined) out.attackSuccessRate = wilson(s.attacks ? Math.min(s.attacksSucceeded ?? 0, s.attacks) / s.attacks : 0, s.attacks, 'attacks');
  if (s.categories) out.categories = s.categories.map((c) => ({ category: c.category, successRate: wilson(c.successRate, c.attacks, 'attacks') }));
  return out;
}

/**
 * Every interval of a run. `summary` is the run's: the recorded one, or (absent) counted from its
 * cases as the renderers do. The sample pass rate needs every case of the run in the report (an
 * eval that prints only the table drops passing cases), so it is left out otherwise.
 */
export function runIntervals(o: RunOutcome, summary: RunSummary | undefined = o.run.summary): RunIntervals {
  const passed = o.cases.filter((c) => c.verdict === 'pass').length;
  const cases = summary ?? { passRate: o.cases.length ? passed / o.cases.length : 0, cases: o.cases.length };
  const out: RunIntervals = { passRate: suitePassRateInterval(cases) };
  const sampleRate = o.cases.length === cases.cases ? samplePassRateInterval(o.cases) : null;
  if (sampleRate) out.samplePassRate = sampleRate;
  if (o.run.suiteKind === 'adversarial') Object.assign(out, attackIntervals(summary ?? adversarialMetrics(o.cases)));
  return out;
}

/** The outcome as a report hands it out (`--json`): the run's intervals, and each case's. */
export function withIntervals(o: RunOutcome): RunOutcome {
  return { ...o, cases: o.cases.map((c) => ({ ...c, passRateInterval: casePassRateInterval(c) })), intervals: runIntervals(o) };
}
