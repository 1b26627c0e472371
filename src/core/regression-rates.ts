import type { SuiteRunFacts } from './gate-types.js';
import type { CasePair } from './stats/index.js';

/**
 * The pass rates a regression check compares, and the pairs it judges (pure). Errors are reported
 * apart from wrong answers: a case whose verdict is `error` on either side (caseVerdictOf: its
 * errored samples decide it) is neither a pass nor a failure, so it is left out of the comparison,
 * as the threshold check never fails or passes a suite on errors alone (core/scoring/aggregate.ts).
 * A server error on the candidate is then never "a case that got worse", nor one on the baseline
 * "a case that got better" hiding a real drop; too many errors make the run itself incomplete
 * (`max_error_rate`), which no gate lets through as tested. The rates are over the same cases the
 * pairs are, so the drop shown beside a verdict is the drop it judged.
 */
export interface ComparedRates {
  /** Pass rates, fractions, over the compared cases. */
  baseline: number;
  candidate: number;
  /** The cases both runs recorded, matched by id, neither side errored; absent when the runs' cases are unknown or differ. */
  pairs?: CasePair[];
  /** Cases left out because they errored on one side (or both). */
  errored: number;
}

export function comparedRates(cur: SuiteRunFacts, base: SuiteRunFacts): ComparedRates {
  const unpaired = { baseline: base.passRate, candidate: cur.passRate, errored: 0 };
  if (!cur.cases?.length || !base.cases?.length) return unpaired;
  const baseById = new Map(base.cases.map((c) => [c.id, c]));
  const pairs: CasePair[] = [];
  let matched = 0;
  let errored = 0;
  for (const c of cur.cases) {
    const b = baseById.get(c.id);
    if (!b) continue;
    matched++;
    if (c.errored || b.errored) errored++;
    else pairs.push({ baseline: b.passed, candidate: c.passed });
  }
  // Cases only one side ran would make the paired drop differ from the pass rates shown.
  if (matched !== cur.cases.length || matched !== base.cases.length) return unpaired;
  // Every case errored on a side: nothing compares; the runs' own rates are shown.
  if (!pairs.length) return { ...unpaired, pairs, errored };
  const rate = (side: 'baseline' | 'candidate') => pairs.filter((p) => p[side]).length / pairs.length;
  return { baseline: rate('baseline'), candidate: rate('candidate'), pairs, errored };
}
