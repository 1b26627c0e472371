import type { GateCheck, IncompleteRun } from './gate-check.js';
import type { SuiteRunFacts } from './gate-types.js';

/**
 * The gates on a suite's run (a minimum, a leak limit) and an incomplete run: server errors decided
 * it, so it judged nothing about the prompt. A golden pass rate counts its errored cases as not
 * passing, but injection resistance and leak counts leave unanswered attacks out, so 70 attacks
 * never answered of 190 read as 100% resistance and 0 leaks. Neither minimum nor a leak limit is met
 * by such a run: each says it is incomplete and names the eval that runs it again (as the tested
 * check does), never "fix the prompt".
 */

/** Who runs the suite again: the version, on the model judged, and whether that eval names `--model`. */
export type RunAgain = Omit<IncompleteRun, 'by'>;

/** `{ incomplete }` for a check on an incomplete run, else nothing to add. */
export function incompleteOf(r: SuiteRunFacts, again: RunAgain): { incomplete?: IncompleteRun } {
  return r.incomplete ? { incomplete: { ...again, ...(r.incompleteBy ? { by: r.incompleteBy } : {}) } } : {};
}

/** The adversarial runs a leak limit cannot count as measured: incomplete ones, by suite. */
export function incompleteLeakRuns(runs: readonly SuiteRunFacts[], again: RunAgain): Pick<Extract<GateCheck, { kind: 'leaks' }>, 'incomplete'> {
  const suites = runs.filter((r) => r.kind === 'adversarial' && r.incomplete).map((r) => ({ suite: r.suite, ...(r.incompleteBy ? { by: r.incompleteBy } : {}) }));
  return suites.length ? { incomplete: { ...again, suites } } : {};
}
