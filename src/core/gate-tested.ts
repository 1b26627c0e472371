import type { GateCheck, TestedState } from './gate-check.js';
import type { DeployGateInput } from './gate-types.js';
import { evalModelFlag } from './deployed-model.js';
import { gradedAsNow, type Judges } from './eval/grading.js';
import type { Grading } from './schemas/run.js';

/**
 * The `tested` gate: a tested mark bound to the version's content and the model, and, for a mark
 * earned by runs, every suite that applies now still passing on its current content.
 */

type StaleSuite = { suite: string; why: 'failed' | 'incomplete' | 'no-current-run'; settingsChanged?: true };
function staleSuites(input: DeployGateInput): StaleSuite[] {
  return (input.applicableSuites ?? []).flatMap((suite): StaleSuite[] => {
    const run = input.suiteRuns.find((r) => r.suite === suite);
    if (!run) return [{ suite, why: 'no-current-run', ...(input.settingsChanged?.includes(suite) ? { settingsChanged: true as const } : {}) }];
    if (run.passed !== false) return [];
    return [{ suite, why: run.incomplete ? 'incomplete' : 'failed' }];
  });
}

/**
 * A suite that applies now and a run-earned mark does not cover: changed since the mark, added
 * since, run with other request settings than the config gives now (`settings`), or graded by
 * other judges than the config names now (`grading`, core/eval/grading.ts); or its run on
 * the current content and settings failed (`failed`), or has gone (`no-run`); or the suite file
 * does not load (`broken`, `suite` is then its path): deploy refuses the version's files (exit 2).
 */
export type UncoveredSuite = { suite: string; why: 'changed' | 'added' | 'settings' | 'grading' | 'failed' | 'incomplete' | 'no-run' | 'broken' };

/** A mark's entry for one suite, as far as it says what its run ran and how it was graded (absent: not recorded then). */
type MarkEntry = { suite: string; suiteHash?: string; settings?: string; grading?: Grading };

/**
 * `status`'s answer, as the tested gate decides it (staleSuites above): a suite covers a mark when
 * its counting run on the current content and settings passed, whatever the mark's own entries
 * say (a suite edited and put back, settings changed and restored). Otherwise why: its run failed,
 * or there is none, said as what changed since the mark (`suitesSinceMark`) where that is known.
 */
export function suitesNotCovered(
  marked: ReadonlyArray<MarkEntry>,
  applicable: ReadonlyArray<{ name: string; hash: string; counting?: 'passed' | 'failed' | 'incomplete' }>,
  settings?: string,
  judges?: Judges,
): UncoveredSuite[] {
  return applicable.flatMap((s): UncoveredSuite[] => {
    if (s.counting === 'passed') return [];
    if (s.counting === 'failed' || s.counting === 'incomplete') return [{ suite: s.name, why: s.counting }];
    const since = suitesSinceMark(marked, [s], settings, judges);
    return since.length ? since : [{ suite: s.name, why: 'no-run' }];
  });
}

/**
 * The suites that apply to a version now (with their current content hash) that its mark's runs
 * did not run at that content: the tested gate refuses the mark until they have run (it reads them
 * as stale suites). A mark entry whose suite content or settings are unknown (absent) is taken as
 * covering them; only a difference that is known is reported.
 */
export function suitesSinceMark(
  marked: ReadonlyArray<MarkEntry>,
  applicable: ReadonlyArray<{ name: string; hash: string }>,
  settings?: string,
  judges?: Judges,
): UncoveredSuite[] {
  return applicable.flatMap((s): UncoveredSuite[] => {
    const entry = marked.find((m) => m.suite === s.name);
    if (!entry) return [{ suite: s.name, why: 'added' }];
    if (entry.suiteHash !== undefined && entry.suiteHash !== s.hash) return [{ suite: s.name, why: 'changed' }];
    if (entry.settings !== undefined && settings !== undefined && entry.settings !== settings) return [{ suite: s.name, why: 'settings' }];
    return judges !== undefined && !gradedAsNow(entry.grading, judges) ? [{ suite: s.name, why: 'grading' }] : [];
  });
}

/** A server may swap the weights behind a name: a mark holds only for the weights it was earned on. */
export function weightsSwapped(roots: DeployGateInput['servedRoots']): { earnedRoot: string; currentRoot: string } | undefined {
  const currentRoot = roots?.current;
  const earnedRoot = currentRoot === undefined ? undefined : roots?.earned.find((r) => r !== currentRoot);
  return currentRoot !== undefined && earnedRoot !== undefined ? { earnedRoot, currentRoot } : undefined;
}

function otherWeights(roots: DeployGateInput['servedRoots']): TestedState | undefined {
  const swapped = weightsSwapped(roots);
  return swapped ? { state: 'other-weights', ...swapped } : undefined;
}

function testedState(input: DeployGateInput, failedSuites: string[]): TestedState {
  const { testedMark: mark, model } = input;
  // Evaluated and failed: running eval again would only repeat that.
  if (!mark && failedSuites.length > 0) return { state: 'failed', failedSuites };
  // No suite applies to it: an eval would refuse it (exit 2), so the way to test it is a suite that covers it.
  if (!mark) return input.applicableSuites?.length === 0 ? { state: 'untested', noSuite: true } : { state: 'untested' };
  if (mark.model !== model) return { state: 'other-model', markModel: mark.model };
  if (mark.contentHash !== input.currentHash) return { state: 'other-content', markHash: mark.contentHash, currentHash: input.currentHash };
  const swapped = otherWeights(input.servedRoots);
  if (swapped) return swapped;
  const stale = mark.source === 'run' ? staleSuites(input) : [];
  if (stale.length > 0) return { state: 'stale-suites', stale };
  return { state: 'tested', byOverride: mark.source === 'override' };
}

export function testedCheck(input: DeployGateInput): GateCheck {
  const { testedMark: mark, model, version, promptId } = input;
  // An incomplete run (the server's errors decided it) judged nothing: never a failed suite.
  const failedSuites = input.suiteRuns.filter((r) => r.passed === false && !r.incomplete).map((r) => r.suite);
  const state = testedState(input, failedSuites);
  const tested = state.state === 'tested';
  const required = input.policy.requires_tested;
  // Tested on a model a plain eval does not run it on: the eval that tests it here names the model.
  const evalNeedsModel = evalModelFlag(model, input.plainEvalModels) ? { evalNeedsModel: true as const } : {};
  // A draft's file may still change: the fix of a failed suite goes there, not in a new version.
  const draft = input.draft ? { draft: true as const, ...(input.file ? { file: input.file } : {}) } : {};
  // The suites it names whose run was graded by another judge: the judge change is said as a cause.
  const named = state.state === 'failed' ? state.failedSuites : state.state === 'stale-suites' ? state.stale.map((x) => x.suite) : state.state === 'untested' ? (input.applicableSuites ?? []) : [];
  const regraded = (input.regraded ?? []).filter((r) => named.includes(r.suite));
  // Runs no signed mark names are not counted for the version: said beside the mark's state. Not
  // beside a failed suite: that failure is why the eval signed no mark on its other runs.
  const unvouched = input.unvouched?.length && state.state !== 'failed' ? { unvouched: input.unvouched } : {};
  const about = { kind: 'tested' as const, promptId, version, model, required, overridable: true, ...evalNeedsModel, ...draft, ...state, ...(regraded.length ? { regraded } : {}), ...unvouched };
  if (!required) return { ...about, ok: true };
  const needsFix = !tested && failedSuites.length > 0 && (!mark || mark.source === 'run');
  return { ...about, ok: tested, ...(needsFix ? (input.draft ? { needsFixedDraft: true } : { needsNewVersion: true }) : {}) };
}
