import type { EvalReport } from '../core/schemas/report.js';
import { besideThreshold, differenceBesideThreshold } from '../core/threshold-format.js';
import { MIN_P95_REQUESTS } from '../core/latency-verdict.js';

/** One latency measurement as every output words it (the line here, a Markdown row), so they agree. */
export interface LatencyWords {
  ref: string;
  suite: string;
  baseline: string;
  /** The two p95s and the rise, the difference of the two as shown: `103`, `105`, `−2`. */
  candidate: string;
  deployed: string;
  rise: string;
  /** The lower bound of the rise, rounded down (never overstated), at `confidence`; null when too few requests give none. */
  atLeast: string | null;
  confidence: string;
  limit: string;
  requests: string;
  verdict: 'pass' | 'BLOCKS' | 'inconclusive';
  /** A measurement of some of the suite's cases only (`1 of 40 cases`): its verdict is shown, but deploy does not judge it. */
  selected: string | null;
}

/** What follows a selection's verdict wherever it is shown. */
export const NOT_A_DEPLOY_VERDICT = 'not a deploy verdict: deploy judges a measurement of every case';

/** The words where a bound would be when too few requests give one. */
export const NO_BOUND = 'not enough requests';

/**
 * A measurement's numbers in words: the rise is the difference of the two p95s shown, and each
 * number beside the limit agrees with its verdict (the rise beyond it unless the check passed, the
 * bound beyond it only for a regression).
 */
export function latencyWords(l: NonNullable<EvalReport['latency']>[number]): LatencyWords {
  const j = l.judgement;
  const rise = differenceBesideThreshold(j.candidateP95, j.baselineP95, l.limit, { ok: j.outcome === 'pass', bound: 'max', digits: 0, rounding: 'half-up' });
  const bound = besideThreshold(j.lowerBound, l.limit, { ok: j.outcome !== 'regression', bound: 'max', digits: 0, rounding: 'down' });
  const signed = (text: string): string => (text.startsWith('-') ? `−${text.slice(1)}` : `+${text}`);
  return {
    ref: `${l.promptId}@${l.version}`,
    suite: l.suite,
    baseline: `${l.env}@${l.baselineVersion}`,
    candidate: rise.a,
    deployed: rise.b,
    rise: signed(rise.value),
    // Too few requests to bound a p95 (core/latency-verdict.ts): no bound to show.
    atLeast: Math.min(j.requests.baseline, j.requests.candidate) < MIN_P95_REQUESTS ? null : signed(bound.value),
    confidence: `${Math.round(j.confidence * 100)}%`,
    limit: `+${rise.limit}`,
    requests: `${j.requests.candidate} + ${j.requests.baseline}`,
    verdict: j.outcome === 'pass' ? 'pass' : j.outcome === 'regression' ? 'BLOCKS' : 'inconclusive',
    selected: l.selected ? `${l.selected.cases} of ${l.selected.of} cases` : null,
  };
}
