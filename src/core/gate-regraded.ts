import type { RegradedSuite } from './gate-check.js';
import type { JudgeChange } from './eval/grading.js';

/**
 * A suite without a counting run whose run was graded by another judge than the config names now
 * (the judge changed since it ran): the check that misses its run names the judge change, so the
 * user sees that restoring the judge, or evaluating under the new one, is the fix.
 */
export function judgedBefore(regraded: readonly RegradedSuite[] | undefined, suite: string): { regraded?: JudgeChange } {
  const r = regraded?.find((x) => x.suite === suite);
  return r ? { regraded: { was: r.was, now: r.now } } : {};
}
