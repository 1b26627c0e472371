import type { CaseOutcome } from '../schemas/report.js';
import { tallyVerdict, type CaseSpec, type RunTally } from './aggregate.js';

/**
 * Which cases `eval --filter-failing` sends: each case's most recent verdict decides, not one run's.
 * A run of some cases only (`--case`, `--filter-failing`, a selection) says nothing about the
 * others, so reading only the newest run made "nothing failing" of a suite whose full run failed.
 */

export type CaseVerdict = CaseOutcome['verdict'];

/**
 * Each case's verdict in one run, from the run's tally: the case verdict (its samples against its
 * min_pass_rate, `tallyVerdict`), not its worst sample; `not-run` when it has fewer samples than
 * its `repeat`. Only the cases given are judged.
 */
export function tallyVerdicts(cases: readonly CaseSpec[], tally: RunTally): Map<string, CaseVerdict> {
  const counted = new Map(tally.cases.map((c) => [c.caseId, c]));
  return new Map(cases.map((spec) => [spec.id, tallyVerdict(spec, counted.get(spec.id))]));
}

/**
 * The cases whose most recent verdict is not a pass, given each run's verdicts oldest first (the
 * counting run, then every later run of the same contents and model). A later verdict replaces an
 * earlier one; `not-run` replaces nothing. A case no run judged has not passed, so it is sent.
 */
export function failingCaseIds(caseIds: readonly string[], runsOldestFirst: ReadonlyArray<ReadonlyMap<string, CaseVerdict>>): Set<string> {
  const latest = new Map<string, CaseVerdict>();
  for (const run of runsOldestFirst) {
    for (const [id, verdict] of run) if (verdict !== 'not-run') latest.set(id, verdict);
  }
  return new Set(caseIds.filter((id) => latest.get(id) !== 'pass'));
}
