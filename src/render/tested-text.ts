import type { GateCheck, RegradedSuite } from '../core/gate-check.js';
import { evalCommand, judgeChangeText, quoted, regradeAdvice, restoreJudge } from './eval-advice.js';

/** The sentence of the `tested` gate check: what its mark holds, or why it does not, and what renews it. */

const short = (hash: string): string => hash.slice(0, 12);

type TestedCheck = Extract<GateCheck, { kind: 'tested' }>;

/** A failed suite that passed when graded by the judge the config named before: the judge change is the other suspect. */
const passedBefore = (c: TestedCheck, suite: string): RegradedSuite | undefined => c.regraded?.find((r) => r.suite === suite && r.passed);
/** A suite without a run graded as now, whose run was graded by another judge. */
const gradedBefore = (c: TestedCheck, suite: string): RegradedSuite | undefined => c.regraded?.find((r) => r.suite === suite);

export function testedMessage(c: TestedCheck): string {
  const rerun = `run \`${evalCommand(c, c.version)}\``;
  // After a judge change, evaluating grades the suites the new way, and the old judge is the other way back.
  const regrade = regradeAdvice(c, c.version);
  // A draft (never deployed) may still change: its file is where the fix goes.
  const newVersion = c.draft ? `fix the prompt in ${c.file ?? 'its file'} (a draft until its first deploy) and evaluate it again` : `fix the prompt in a new version (\`promptctl new ${c.promptId}\`)`;
  // Failed under a new judge but passed under the old one: the judge may be what is wrong, not the prompt.
  const fixFailed = (suites: string[]): string =>
    suites.some((s) => passedBefore(c, s)) ? `${restoreJudge(true)} if the new one misjudges, or ${newVersion}` : newVersion;
  const failedWhy = (suite: string): string => {
    const before = passedBefore(c, suite);
    return before ? `failed graded by the current judge, but passed graded by the one before (${judgeChangeText(before)})` : 'failed';
  };
  let message: string;
  switch (c.state) {
    case 'tested':
      return `${c.version} is tested on ${c.model}${c.byOverride ? ' (by a recorded override)' : ''}${unvouchedText(c)}`;
    case 'failed':
      message = c.failedSuites.some((s) => passedBefore(c, s))
        ? `${c.version} is not tested on ${c.model}: suite ${c.failedSuites.map((s) => `'${s}' ${failedWhy(s)}`).join(', ')}; ${fixFailed(c.failedSuites)}`
        : `${c.version} is not tested on ${c.model}: its latest run of suite ${quoted(c.failedSuites)} failed; ${newVersion}`;
      break;
    case 'untested': {
      const regraded = c.regraded ?? [];
      message = c.noSuite
        ? `${c.version} has not been tested on ${c.model}, and no suite applies to it (no suite of ${c.promptId} covers it with its \`versions:\` range, or it has none): add a suite that covers it, or widen a suite's range, then evaluate it`
        : regraded.length
        ? `${c.version} has not been tested on ${c.model} as .promptrc.yaml grades now: ${regraded.map((r) => `'${r.suite}': ${judgeChangeText(r)}`).join('; ')}; ${regrade}`
        : `${c.version} has not been tested on ${c.model}: ${rerun}`;
      break;
    }
    case 'other-model':
      message = `${c.version} was tested on model ${c.markModel}, not on the configured ${c.model}: ${rerun} on ${c.model}`;
      break;
    case 'other-content':
      message = `${c.version} was tested with different content (hash ${short(c.markHash)}, file now ${short(c.currentHash)}): ${rerun}`;
      break;
    case 'other-weights':
      // --no-cache: a cached re-run would judge the old weights' answers again.
      message = `${c.model} now serves other weights (root ${c.currentRoot}; the mark was earned on ${c.earnedRoot}): evaluate it again on them: run \`${evalCommand(c, c.version, ' --no-cache')}\``;
      break;
    case 'stale-suites': {
      const why = (x: { suite: string; why: 'failed' | 'incomplete' | 'no-current-run'; settingsChanged?: true }): string => {
        if (x.why === 'failed') return failedWhy(x.suite);
        if (x.why === 'incomplete') return 'is incomplete (server errors decided its latest run, or cases did not run)';
        const before = gradedBefore(c, x.suite);
        if (before) return `has no run graded by the current judge (${judgeChangeText(before)})`;
        return x.settingsChanged ? 'has no run under the current settings' : 'has no run of its current content and settings';
      };
      const failed = c.stale.filter((x) => x.why === 'failed').map((x) => x.suite);
      const regraded = c.stale.some((x) => x.why === 'no-current-run' && gradedBefore(c, x.suite));
      // Only the request settings changed (no suite did): said as the README says it, "the request settings changed".
      const onlySettings = c.stale.every((x) => x.settingsChanged && !gradedBefore(c, x.suite));
      const what = onlySettings ? 'but the request settings changed since its runs (.promptrc.yaml defaults or model)' : 'but not on the current suites';
      message =
        `${c.version} was tested on ${c.model}, ${what}: ${c.stale.map((x) => `'${x.suite}' ${why(x)}`).join(', ')}; ` +
        (failed.length ? fixFailed(failed) : regraded ? regrade : rerun);
    }
  }
  message += unvouchedText(c);
  return c.required ? message : `not required here: ${message}`;
}

/** Passing runs a signing project does not count for the version: no signed mark names them (infra/eval/vouched-run.ts). */
function unvouchedText(c: TestedCheck): string {
  if (!c.unvouched?.length) return '';
  const runs = c.unvouched.map((u) => `run ${u.runId.slice(0, 8)} of suite '${u.suite}'`).join(', ');
  const one = c.unvouched.length === 1;
  return `; not counted: ${runs}, which no signed tested mark names (runs are not signed: only the mark an eval signs vouches for ${one ? 'a run' : 'runs'}; \`${evalCommand(c, c.version)}\` records ${one ? 'one' : 'them'} anew, and if no eval recorded ${one ? 'it' : 'them'}, ${one ? 'it was' : 'they were'} written into the registry by hand: run \`promptctl audit verify\`)`;
}
