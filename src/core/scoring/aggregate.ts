import type { CaseVerdict } from '../schemas/report.js';
import type { SampleVerdict } from '../schemas/run.js';
import { besideThreshold, type Bound } from '../threshold-format.js';

/**
 * From samples to cases to suites. Outputs are non-deterministic, so a case's verdict is a pass
 * rate over its samples and a suite's verdict a threshold over its cases. Errors (server down,
 * timeouts) are never passes, and never failures on their own either: when errors alone decide
 * the outcome, the verdict is "error" / "incomplete", so a flaky server cannot fail a good prompt
 * or pass a bad one.
 */

/** Passing samples / scored (pass or fail) samples, as CaseOutcome.passRate documents; 0 when none. */
export function casePassRate(verdicts: readonly SampleVerdict[]): number {
  let pass = 0;
  let fail = 0;
  for (const v of verdicts) {
    if (v === 'pass') pass++;
    else if (v === 'fail') fail++;
  }
  return pass + fail === 0 ? 0 : pass / (pass + fail);
}

/**
 * A case's verdict from its samples. Errors count as non-passes for `pass` (pass / all samples
 * must reach minPassRate) and as passes for `fail` (the case fails only if it would fail even had
 * every errored sample passed); in between the errors decide, and the case is `error`.
 * No samples at all is `not-run`.
 */
export function caseVerdict(verdicts: readonly SampleVerdict[], minPassRate: number): CaseVerdict {
  return caseVerdictOf(countVerdicts(verdicts), minPassRate);
}

/** How many samples ended each way: what a case's verdict depends on (SQL can count them). */
export interface VerdictCounts {
  pass: number;
  fail: number;
  error: number;
}

export function countVerdicts(verdicts: readonly SampleVerdict[]): VerdictCounts {
  const counts = { pass: 0, fail: 0, error: 0 };
  for (const v of verdicts) counts[v]++;
  return counts;
}

/** caseVerdict from counts: the one rule, whether the samples were read or counted in SQL. */
export function caseVerdictOf(c: VerdictCounts, minPassRate: number): CaseVerdict {
  const n = c.pass + c.fail + c.error;
  if (!n) return 'not-run';
  if (c.error === n) return 'error';
  if (atLeast(c.pass / n, minPassRate)) return 'pass';
  if (!atLeast((c.pass + c.error) / n, minPassRate)) return 'fail';
  return 'error';
}

// Rates such as 0.995 come from division; compare with a little slack for float noise.
function atLeast(rate: number, threshold: number): boolean {
  return rate >= threshold - 1e-9;
}

/** Nearest-rank percentile (p in 0..100) of unsorted values; 0 when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (!values.length) return 0;
  // A typed array sorts numbers natively: no comparator called n log n times (2,000 latencies, thrice per summary).
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((Math.min(100, Math.max(0, p)) / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? 0;
}

export interface SuiteTally {
  /** Cases by verdict. */
  passed: number;
  failed: number;
  errored: number;
  notRun: number;
  /** Share of cases (0..1) that must pass. */
  threshold: number;
  /** Share of samples (0..1) that may end in errors before the suite is incomplete. */
  maxErrorRate: number;
  samples: number;
  errorSamples: number;
}

export type SuiteVerdict = 'passed' | 'failed' | 'incomplete';

export interface SuiteVerdictDetail {
  verdict: SuiteVerdict;
  /** Passed cases / all cases (errored and not-run cases count, never as passes). */
  passRate: number;
  /** One sentence saying why, for reports. */
  why: string;
}

/** A rate beside its limit as this summary has always printed it ("95%", "94.7%"), agreeing with the verdict. */
function rates(value: number, limit: number, ok: boolean, bound: Bound): { value: string; limit: string } {
  const shown = besideThreshold(value, limit, { ok, bound, digits: 1, rounding: 'half-up', unit: 100, trim: true });
  return { value: `${shown.value}%`, limit: `${shown.limit}%` };
}

export function suiteVerdictDetail(t: SuiteTally): SuiteVerdictDetail {
  const cases = t.passed + t.failed + t.errored + t.notRun;
  const passRate = cases ? t.passed / cases : 0;
  if (!cases) return { verdict: 'incomplete', passRate, why: 'the suite has no cases, so nothing was judged' };
  if (t.notRun > 0) return { verdict: 'incomplete', passRate, why: `${t.notRun} of ${cases} cases did not run` };
  const errorRate = t.samples ? t.errorSamples / t.samples : 0;
  if (errorRate > t.maxErrorRate + 1e-9) {
    const shown = rates(errorRate, t.maxErrorRate, false, 'max');
    return { verdict: 'incomplete', passRate, why: `${shown.value} of samples ended in errors (at most ${shown.limit} allowed)` };
  }
  const shown = rates(passRate, t.threshold, atLeast(passRate, t.threshold), 'min');
  const summary = `${t.passed}/${cases} cases passed (${shown.value}; threshold ${shown.limit})`;
  if (atLeast(passRate, t.threshold)) return { verdict: 'passed', passRate, why: summary };
  if (atLeast((t.passed + t.errored) / cases, t.threshold)) {
    return { verdict: 'incomplete', passRate, why: `${summary}; the ${t.errored} errored cases decide the outcome` };
  }
  return { verdict: 'failed', passRate, why: summary };
}

/** 'passed' | 'failed' | 'incomplete' for a suite; see suiteVerdictDetail for the rules. */
export function suiteVerdict(t: SuiteTally): SuiteVerdict {
  return suiteVerdictDetail(t).verdict;
}
