import type { CaseOutcome, SuiteAsLastRan } from '../schemas/report.js';
import { suiteVerdict } from '../scoring/aggregate.js';
import { tallyVerdict, type CaseSpec, type RunTally } from './aggregate.js';

/**
 * Which cases `eval --filter-failing` sends: each case's most recent verdict decides, not one run's.
 * A run of some cases only (`--case`, `--filter-failing`, a selection) says nothing about the
 * others, so reading only the newest run made "nothing failing" of a suite whose full run failed.
 */

export type CaseVerdict = CaseOutcome['verdict'];
export type { SuiteAsLastRan };

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
  const latest = latestVerdicts(runsOldestFirst);
  return new Set(caseIds.filter((id) => latest.get(id) !== 'pass'));
}

/** Each case's most recent verdict over the runs, oldest first: a later verdict replaces an earlier one, `not-run` none. */
function latestVerdicts(runsOldestFirst: ReadonlyArray<ReadonlyMap<string, CaseVerdict>>): Map<string, CaseVerdict> {
  const latest = new Map<string, CaseVerdict>();
  for (const run of runsOldestFirst) {
    for (const [id, verdict] of run) if (verdict !== 'not-run') latest.set(id, verdict);
  }
  return latest;
}

/**
 * What a partial run (`--case`, `--tag`, `--sample`, `--filter-failing`) means for its suite: the
 * suite with the selected cases' latest results merged in, judged as a whole against its
 * threshold, never the threshold applied to the selection. A case no run judged is not run (the
 * suite is then incomplete). Judged on case verdicts: an errored case counts as errored, and the
 * error-rate bound, a property of one run's samples, is the counting run's to apply.
 */
export function suiteAsLastRan(caseIds: readonly string[], runsOldestFirst: ReadonlyArray<ReadonlyMap<string, CaseVerdict>>, threshold: number): SuiteAsLastRan {
  const latest = latestVerdicts(runsOldestFirst);
  const count = (v: CaseVerdict) => caseIds.filter((id) => (latest.get(id) ?? 'not-run') === v).length;
  const [passed, failed, errored, notRun] = [count('pass'), count('fail'), count('error'), count('not-run')];
  const verdict = suiteVerdict({ passed, failed, errored, notRun, threshold, maxErrorRate: 1, samples: 0, errorSamples: 0 });
  return { verdict, passRate: caseIds.length ? passed / caseIds.length : 0, cases: caseIds.length, passed, failed, errored, notRun };
}
