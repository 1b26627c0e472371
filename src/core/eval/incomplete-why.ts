import type { IncompleteFacts } from '../schemas/run.js';
import { suiteVerdictDetail } from '../scoring/aggregate.js';

/**
 * Why a run is incomplete, with the numbers that decide it: the sentence of the rule that judged it
 * (core/scoring/aggregate.ts `suiteVerdictDetail`): "20% of samples ended in errors (at most 5%
 * allowed)", "3 of 20 cases did not run", "…; the 4 errored cases decide the outcome". Every report
 * says it beside an incomplete verdict, where its pass rate alone (80.0% against 50.0%) would read
 * as a pass. Null for a passed or failed run.
 */
export function incompleteWhy(s: IncompleteFacts, threshold: number | null | undefined): string | null {
  if (s.verdict !== 'incomplete') return null;
  if (s.errors && threshold != null) {
    const detail = suiteVerdictDetail({
      passed: s.passed,
      failed: s.failed,
      errored: s.errored,
      notRun: s.notRun,
      threshold,
      maxErrorRate: s.errors.maxRate,
      samples: s.samples,
      errorSamples: s.errors.samples,
    });
    if (detail.verdict === 'incomplete') return detail.why;
  }
  return recordedWithoutErrors(s);
}

/**
 * A summary recorded before summaries kept their errored samples (or one derived from a run's cases):
 * the reason said from its counts alone, never a rate it cannot know.
 */
function recordedWithoutErrors(s: IncompleteFacts): string {
  if (!s.cases) return 'the suite has no cases, so nothing was judged';
  if (s.notRun > 0) return `${s.notRun} of ${s.cases} cases did not run`;
  if (s.errored > 0) return `server errors decided it: ${s.errored} of ${s.cases} cases errored`;
  return 'too many samples ended in server errors (more than max_error_rate allows)';
}
