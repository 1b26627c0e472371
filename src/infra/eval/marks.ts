import { settingsOf } from '../../core/eval/request-params.js';
import { judgesOf } from '../../core/eval/grading.js';
import { suitesSinceMark, weightsSwapped } from '../../core/gate-tested.js';
import { askedTheServer } from '../../core/served-weights.js';
import { currentRoots, servedRootsOf } from './served-roots.js';
import { percentsAtMinimum } from '../../core/threshold-format.js';
import { incompleteWhy } from '../../core/eval/incomplete-why.js';
import type { EvalReport } from '../../core/schemas/report.js';
import type { RunRecord, RunSummary } from '../../core/schemas/run.js';
import type { Project, PromptFile } from '../project.js';
import { sameEvidence } from '../registry/chained-marks.js';
import type { Registry, TestedMark } from '../registry/types.js';
import { testedMarkThatCounts, type EventSigner } from '../signing.js';
import { countingRun, modelFor, suiteTarget } from './suite-target.js';
import { summaryFromSamples } from './stored-runs.js';
import { vouchedForMark } from './vouched-run.js';
import { suitesFor } from './targets.js';
import { unretired } from '../../core/gate-gone-suites.js';
import { goneSuiteReason } from '../../core/gone-suites.js';
import { activesAsServed, goneSuites, suitesHereIn } from '../gone-suites.js';
import { checkVersion } from '../version-states.js';

/** Who marks, and the summaries of the runs this eval just finished and judged (by run id): not tallied again. */
export interface Marker {
  invocationId: string;
  actor: string;
  sign?: EventSigner;
  judged?: ReadonlyMap<string, RunSummary>;
  /** The runs this eval made or finished (a resumed run keeps the invocation that started it): a suite among them whose counting run is none of them is named (`otherEvals`). */
  ran?: ReadonlyArray<Pick<RunRecord, 'id' | 'promptId' | 'version' | 'suite' | 'model' | 'status' | 'summary'>>;
}

/**
 * Writes a tested mark for each version whose every applicable suite has a complete, passing run
 * on this model with the current prompt and suite content. The mark is bound to the content hash
 * and the model, so editing either (or changing the model) leaves it behind.
 */
export async function updateTestedMarks(
  registry: Registry,
  project: Project,
  versions: PromptFile[],
  by: Marker,
  /** A model matrix: each version's models, one mark each, named in the report. */
  matrix?: (v: PromptFile) => string[],
): Promise<EvalReport['versions']> {
  const out: EvalReport['versions'] = [];
  // What each model serves now, asked once per model for every version: a mark writes no run, so
  // the answer holds for the whole loop. Asked per version, a project of hundreds of prompts read
  // every run since the last one that named its weights once per prompt, and a cached re-run slowed
  // with every eval.
  const rootNow = currentRoots(registry);
  // One version at a time, in order, as before: each decides from what the registry says now.
  for (const v of versions) {
    if (!matrix) out.push(await updateTestedMark(registry, project, v, by, modelFor(project, v), rootNow));
    else for (const model of matrix(v)) out.push({ ...(await updateTestedMark(registry, project, v, by, model, rootNow)), model });
  }
  return out;
}

async function updateTestedMark(
  registry: Registry,
  project: Project,
  v: PromptFile,
  by: Marker,
  model: string,
  rootNow: (model: string) => Promise<string | undefined>,
): Promise<EvalReport['versions'][number]> {
  const suites = suitesFor(project, v);
  if (!suites.length) return { promptId: v.id, version: v.version, tested: false, reason: 'no suite applies to this version' };
  // Another checkout may have deployed other content for this version while the runs went on: released,
  // the number keeps that content, so this file's is never deployed and a mark of it would not count.
  // Another checkout's draft registered meanwhile is no such thing: each draft content keeps its runs
  // and marks by its hash, and this checkout's next eval or deploy takes the number back (settleVersions).
  const { verdict } = await checkVersion(registry, v);
  if (verdict.state === 'released' && !verdict.allowed) {
    return { promptId: v.id, version: v.version, tested: false, reason: `the registry now holds other content for ${v.id}@${v.version} (deployed to ${verdict.releasedIn.join(', ')} from another checkout while this eval ran), so a mark of this file would not count` };
  }
  // A suite the registry knows whose file is gone and is not retired: deploy and promote refuse the
  // version (suite-missing) in an environment whose active version was tested on it, or at all when
  // the version has a run of it, so no mark is earned on the suites left (the gate's own rule).
  const actives = await activesAsServed(registry, project.config, v.id, project.config.environments.map((e) => e.name));
  const gone = unretired(await goneSuites(registry, suitesHereIn(project, v.id), v, model, actives, { log: false }));
  const earned: TestedMark['suites'] = [];
  const missing: string[] = [];
  // Suites whose counting run failed: only such a run withdraws a mark. An incomplete one (server
  // errors decide it, or cases did not run) judged nothing about the prompt.
  const failed: typeof suites = [];
  // A counting run answered wholly from the cache records the root of the answers it reused (session.ts), not its own.
  let rootless = false;
  let served = false;
  const otherEvals: Array<{ suite: string; runId: string }> = [];
  // Only a run of this eval that could count (finished, every case: not --case, --filter-failing or
  // interrupted) makes another eval's counting run worth naming; a partial one never counts.
  const earlierRuns: Array<{ suite: string; runId: string }> = [];
  // A run of this eval that a stop signal cut short (aborted) never counts: the counting run is an earlier eval's.
  const stoppedHere = (suite: string) => by.ran?.some((r) => r.promptId === v.id && r.version === v.version && r.suite === suite && r.model === model && r.status === 'aborted') ?? false;
  const ranHere = (suite: string) => by.ran?.some((r) => r.promptId === v.id && r.version === v.version && r.suite === suite && r.model === model && r.status === 'finished' && !r.summary?.partial) ?? false;
  // Where marks are signed, a mark rests only on runs this eval recorded or the signed mark that counts names (vouched-run.ts).
  const signs = project.config.signing.evaluator.length > 0;
  let held: Promise<TestedMark | undefined> | undefined;
  const heldMark = () => (held ??= testedMarkThatCounts(registry, project.config.signing, v.id, v.version, v.hash, model, { log: false }));
  for (const s of suites) {
    const target = suiteTarget(v, s, model, project.config);
    const run = await countingRun(registry, target);
    if (run && !by.ran?.some((r) => r.id === run.id) && ranHere(s.name)) otherEvals.push({ suite: s.name, runId: run.id });
    else if (run && stoppedHere(s.name)) earlierRuns.push({ suite: s.name, runId: run.id });
    const summary = run?.summary && (by.judged?.get(run.id) ?? (await summaryFromSamples(registry, run, s)));
    if (summary?.verdict === 'failed') failed.push(s);
    if (!run || !summary) missing.push(`suite '${s.name}' has no complete run on ${model} with the current content and settings`);
    // Its pass rate beside the threshold could read as a pass (80.0% of 50.0%): what made it incomplete is said instead.
    else if (summary.verdict === 'incomplete') missing.push(`suite '${s.name}' incomplete: ${incompleteWhy(summary, s.data.threshold)}`);
    else if (summary.verdict !== 'passed') {
      const shown = percentsAtMinimum(summary.passRate, s.data.threshold);
      // A run none of whose cases was judged (every request got an error) has no pass rate to state.
      const rate = summary.passed + summary.failed > 0 ? `pass rate ${shown.value}` : 'no case judged';
      missing.push(`suite '${s.name}' ${summary.verdict} (${rate}, threshold ${shown.limit})`);
    }
    else if (signs && !(await vouchedForMark(registry, target, run, by.ran?.some((r) => r.id === run.id) ?? false, heldMark))) {
      // Runs are not signed: one this eval did not record, and no signed mark names, may have been written into the database by hand.
      missing.push(`suite '${s.name}': its run ${run.id.slice(0, 8)} was not recorded by this eval, and no signed tested mark names it, so no mark is signed on it: evaluate every suite of ${v.id}@${v.version} in one eval (cached answers are reused)`);
    } else {
      const settings = run.summary?.settings === undefined ? {} : { settings: run.summary.settings };
      const grading = run.summary?.grading === undefined ? {} : { grading: run.summary.grading };
      if (!askedTheServer(run.summary ?? {})) rootless = true;
      else served = true;
      earned.push({ suite: s.name, kind: s.data.kind, passRate: summary.passRate, runId: run.id, suiteHash: run.suiteHash, ...(await registry.sampleDigests(run.id)), ...settings, ...grading });
    }
  }
  missing.push(...gone.map((g) => goneSuiteReason(v.id, v.version, g)));
  const others = { ...(otherEvals.length ? { otherEvals } : {}), ...(earlierRuns.length ? { earlierRuns } : {}) };
  if (missing.length) {
    // A mark from earlier runs no longer holds when a suite it was earned on, with the same content,
    // settings and grading, fails now. A suite run on other content or settings (a pull request's
    // suites or .promptrc.yaml) does not withdraw it: on the content the mark was earned on it still
    // holds, and where the new content applies the gate finds the mark stale ('changed', 'added').
    const held = await registry.getTestedMark(v.id, v.version, v.hash, model);
    const settings = settingsOf(project.config, v.data.model, model);
    const judges = judgesOf(project.config);
    const sameAsEarned = (s: (typeof suites)[number]) => held?.suites.some((e) => e.suite === s.name && !suitesSinceMark([e], [s], settings, judges).length);
    if (failed.some(sameAsEarned)) await registry.revokeTestedMark(v.id, v.version, v.hash, model, by.actor, by.sign);
    return { promptId: v.id, version: v.version, tested: false, reason: missing.join('; '), ...(gone.length ? { goneSuites: gone.map((g) => g.suite) } : {}), ...others };
  }
  // Such a run may hold answers of weights the name no longer serves: the gate would refuse the
  // mark. Runs that asked the server need no check.
  const swapped = rootless ? weightsSwapped(await servedRootsOf(registry, { model, suites: earned }, rootNow)) : undefined;
  if (swapped) {
    return { promptId: v.id, version: v.version, tested: false, reason: `its runs reused answers of other weights (root ${swapped.earnedRoot}) than ${model} serves now (root ${swapped.currentRoot}): run eval again with --no-cache`, ...others };
  }
  // Runs answered from the cache (no served weights of their own) that reproduce the evidence of
  // the mark that counts (signed as the project requires) add nothing to it: no new event, or every
  // cached re-run would grow the audit log. A mark that does not count is earned again.
  // Not the gate's question (the log after it is the gate's to hold): whether a new event would add anything.
  if (!served && sameEvidence(await heldMark(), earned)) return { promptId: v.id, version: v.version, tested: true, ...others };
  await registry.markTested({ promptId: v.id, version: v.version, contentHash: v.hash, model, suites: earned, invocationId: by.invocationId, actor: by.actor, ...(by.sign ? { sign: by.sign } : {}) });
  return { promptId: v.id, version: v.version, tested: true, ...others };
}
