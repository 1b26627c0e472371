import type { CaseOutcome, CaseVerdict } from '../../core/schemas/report.js';
import type { RunSummary } from '../../core/schemas/run.js';
import { percentile } from '../../core/scoring/aggregate.js';
import type { Totals } from './types.js';

/**
 * The report's totals, and the summary of a run that has none recorded (still running, or
 * interrupted), counted once whether the cases are in memory (`countedCases`) or were tallied by
 * the registry a page at a time (report-stream.ts). Percentiles come from the latencies, since
 * they cannot be combined from summaries.
 */
export interface CountedRun {
  /** Each case's verdict. */
  verdicts: readonly CaseVerdict[];
  /** Latencies of the samples that did not end in an error. */
  latencies: readonly number[];
  samples: number;
  errorSamples: number;
  tokensIn: number;
  tokensOut: number;
}

export function countedCases(cases: readonly CaseOutcome[]): CountedRun {
  const samples = cases.flatMap((c) => c.samples);
  const latencies = samples.filter((s) => s.verdict !== 'error').map((s) => s.latencyMs);
  return {
    verdicts: cases.map((c) => c.verdict),
    latencies,
    samples: samples.length,
    errorSamples: samples.length - latencies.length,
    tokensIn: samples.reduce((t, s) => t + s.tokensIn, 0),
    tokensOut: samples.reduce((t, s) => t + s.tokensOut, 0),
  };
}

export function totalsOf(label: string, runs: readonly CountedRun[]): Totals {
  const n = (v: CaseVerdict) => runs.reduce((k, r) => k + r.verdicts.filter((x) => x === v).length, 0);
  const cases = runs.reduce((k, r) => k + r.verdicts.length, 0);
  const latencies = runs.flatMap((r) => r.latencies);
  const sum = (key: 'samples' | 'errorSamples' | 'tokensIn' | 'tokensOut') => runs.reduce((k, r) => k + r[key], 0);
  return {
    label,
    cases,
    passed: n('pass'),
    failed: n('fail'),
    errored: n('error'),
    notRun: n('not-run'),
    passRate: cases ? n('pass') / cases : 0,
    samples: sum('samples'),
    errorSamples: sum('errorSamples'),
    latencyP50: percentile(latencies, 50),
    latencyP95: percentile(latencies, 95),
    tokensIn: sum('tokensIn'),
    tokensOut: sum('tokensOut'),
  };
}

export function summaryOf(run: CountedRun): RunSummary {
  const t = totalsOf('', [run]);
  return {
    cases: t.cases,
    passed: t.passed,
    failed: t.failed,
    errored: t.errored,
    notRun: t.notRun,
    samples: t.samples,
    passRate: t.passRate,
    verdict: 'incomplete',
    latencyP50: t.latencyP50,
    latencyP95: t.latencyP95,
    latencyP99: percentile(run.latencies, 99),
    tokensIn: t.tokensIn,
    tokensOut: t.tokensOut,
  };
}
