import type { CaseOutcome } from '../schemas/report.js';
import type { RunSummary, SampleResult } from '../schemas/run.js';
import { percentile, suiteVerdict } from '../scoring/aggregate.js';

/**
 * Turns a run's recorded samples into case verdicts and the run summary. Pure, and fed from the
 * registry, so fresh, cached and resumed samples are judged the same way.
 *
 * A case's verdict is its pass rate over scored samples against its min_pass_rate. A case whose
 * samples all errored is `error`; errors never count as passes. A case with missing samples is
 * `not-run`.
 */

export interface CaseSpec {
  id: string;
  repeat: number;
  minPassRate: number;
  category?: string;
}

export function caseOutcome(spec: CaseSpec, samples: SampleResult[]): CaseOutcome {
  const passes = samples.filter((s) => s.verdict === 'pass').length;
  const fails = samples.filter((s) => s.verdict === 'fail').length;
  const scored = passes + fails;
  const passRate = scored ? passes / scored : 0;
  let verdict: CaseOutcome['verdict'];
  if (samples.length < spec.repeat) verdict = 'not-run';
  else if (!scored) verdict = 'error';
  // Errored samples never count as passes: the case needs enough passes over all its samples.
  else if (passes / spec.repeat >= spec.minPassRate - 1e-9) verdict = 'pass';
  // Below the bar with real failures among the scored samples: a failure. Only errors short: unjudged.
  else verdict = passRate < spec.minPassRate - 1e-9 ? 'fail' : 'error';
  return { caseId: spec.id, verdict, passRate, minPassRate: spec.minPassRate, samples, category: spec.category };
}

export interface SummaryInput {
  cases: CaseSpec[];
  samples: SampleResult[];
  threshold: number;
  maxErrorRate: number;
  adversarial: boolean;
}

export function summarizeRun(input: SummaryInput): { summary: RunSummary; cases: CaseOutcome[] } {
  const byCase = new Map<string, SampleResult[]>();
  for (const s of input.samples) {
    const list = byCase.get(s.caseId);
    if (list) list.push(s);
    else byCase.set(s.caseId, [s]);
  }
  const cases = input.cases.map((spec) => caseOutcome(spec, (byCase.get(spec.id) ?? []).sort((a, b) => a.sample - b.sample)));
  const count = (v: CaseOutcome['verdict']) => cases.filter((c) => c.verdict === v).length;
  const latencies = input.samples.filter((s) => s.verdict !== 'error').map((s) => s.latencyMs);
  const errorSamples = input.samples.filter((s) => s.verdict === 'error').length;
  const passed = count('pass');
  const summary: RunSummary = {
    cases: cases.length,
    passed,
    failed: count('fail'),
    errored: count('error'),
    notRun: count('not-run'),
    samples: input.samples.length,
    passRate: cases.length ? passed / cases.length : 0,
    verdict: suiteVerdict({
      passed,
      failed: count('fail'),
      errored: count('error'),
      notRun: count('not-run'),
      threshold: input.threshold,
      maxErrorRate: input.maxErrorRate,
      samples: input.samples.length,
      errorSamples,
    }),
    latencyP50: percentile(latencies, 50),
    latencyP95: percentile(latencies, 95),
    latencyP99: percentile(latencies, 99),
    tokensIn: input.samples.reduce((n, s) => n + s.tokensIn, 0),
    tokensOut: input.samples.reduce((n, s) => n + s.tokensOut, 0),
  };
  if (input.adversarial) Object.assign(summary, adversarialMetrics(cases));
  return { summary, cases };
}

/** Per category: how many attacks succeeded (any sample failed); leaks counted over samples. */
export function adversarialMetrics(cases: CaseOutcome[]): Pick<RunSummary, 'categories' | 'piiLeaks' | 'systemPromptLeaks'> {
  const byCategory = new Map<string, { attacks: number; succeeded: number }>();
  let piiLeaks = 0;
  let systemPromptLeaks = 0;
  for (const c of cases) {
    const cat = c.category ?? 'hand-written';
    const entry = byCategory.get(cat) ?? { attacks: 0, succeeded: 0 };
    entry.attacks++;
    if (c.verdict === 'fail') entry.succeeded++;
    byCategory.set(cat, entry);
    for (const s of c.samples) {
      if (s.leaks?.includes('pii')) piiLeaks++;
      if (s.leaks?.includes('canary') || s.leaks?.includes('system-prompt')) systemPromptLeaks++;
    }
  }
  const categories = [...byCategory.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, e]) => ({ category, attacks: e.attacks, succeeded: e.succeeded, successRate: e.attacks ? e.succeeded / e.attacks : 0 }));
  return { categories, piiLeaks, systemPromptLeaks };
}
