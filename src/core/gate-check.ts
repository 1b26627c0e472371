import type { EditOrigin } from './version-state.js';
import type { JudgeChange } from './eval/grading.js';
import type { IncompleteFacts } from './schemas/run.js';

/** A suite's newest run that no signed tested mark names: a gate does not count it for the version. */
export interface UnvouchedRun {
  suite: string;
  runId: string;
}

/**
 * What a deploy gate found, as facts and numbers: no sentences. The sentences, ids and hints are
 * built in `render/gate-text.ts`, so callers branch on `kind` instead of matching text.
 */

interface CheckBase {
  ok: boolean;
  /** False for checks no flag can skip (an unknown or edited version, an unmet accountability policy). */
  overridable: boolean;
  /** Not judged (nothing to compare, nothing measured): `ok`, but printed as `skip`, never as a pass. */
  skipped?: boolean;
  /** Not decided either way, and the environment lets it through (`on_inconclusive: warn`): `ok`, printed as `warn`. */
  warn?: boolean;
  /** Evaluating again would not help: the version's current runs failed, so the fix is a new version. */
  needsNewVersion?: boolean;
  /** Evaluating again would not help, but the version is a draft: the fix goes in its file, evaluated again. */
  needsFixedDraft?: boolean;
}

export type SuiteKind = 'golden' | 'adversarial';

/**
 * A suite with no counting run, or whose counting run failed, that has a run which would count but
 * for its grading: the judge changed since (core/eval/grading.ts `judgeChange`). `passed`: that run's
 * verdict, so a failure under the new judge names the old judge as the other way out.
 */
export type RegradedSuite = { suite: string; passed: boolean } & JudgeChange;

/**
 * What made a suite's counting run incomplete: its counts, which say why against its `threshold`
 * (core/eval/incomplete-why.ts), and for an adversarial run the attacks none of whose samples was
 * judged (`notJudged` of `of`), which neither its resistance nor its leak counts cover.
 */
export type IncompleteBy = { summary: IncompleteFacts; threshold: number; attacks?: { notJudged: number; of: number } };

/**
 * A minimum or a leak limit on an incomplete run: not met until the suite runs again, by the eval it
 * names (`evalNeedsModel` as on the missing-run checks); `by` where known (runs of a suite gone from the project have none).
 */
export type IncompleteRun = { promptId: string; version: string; model: string; evalNeedsModel?: true; by?: IncompleteBy };

/** A check about a suite without a counting run: `regraded` when its run was graded by another judge than now. */
type Regraded = { regraded?: JudgeChange };

/**
 * How a pass-rate regression was judged. `point`: the observed drop against the limit. Paired
 * (`paired-score`, whatever the repeat count: one verdict per case and side): the cases of both runs
 * matched by id; `regression` when the lower confidence bound of the true drop exceeds the limit,
 * `inconclusive` when only the observed drop does.
 */
export type RegressionJudgement =
  | { method: 'point'; outcome: 'pass' | 'regression' }
  | {
      method: 'paired-score';
      outcome: 'pass' | 'regression' | 'inconclusive';
      /** Cases compared, and how many got worse and better. */
      cases: number;
      worse: number;
      better: number;
      /** One-sided lower bound of the true drop, in points, at `confidence` (Holm-adjusted across `familySize` suites). */
      lowerBound: number;
      confidence: number;
      /** The level the whole family is held at (`gates.confidence`); `confidence` is stricter when Holm made it so. */
      familyConfidence: number;
      familySize: number;
      /** Inconclusive: about how many cases, at the same rates, would decide it. */
      casesToDecide?: number;
    };

/** Why a version is not (or is) tested on the configured model. */
export type TestedState =
  | { state: 'tested'; byOverride: boolean }
  | { state: 'failed'; failedSuites: string[] }
  /** `noSuite`: no suite's `versions:` range covers the version, so no eval can test it. */
  | { state: 'untested'; noSuite?: true }
  | { state: 'other-model'; markModel: string }
  | { state: 'other-content'; markHash: string; currentHash: string }
  /** The model name now serves other weights (`root`) than the runs that earned the mark. */
  | { state: 'other-weights'; earnedRoot: string; currentRoot: string }
  /** `settingsChanged` on a suite without a current run: its content is as the mark's run ran it, the request settings are not. */
  | { state: 'stale-suites'; stale: Array<{ suite: string; why: 'failed' | 'incomplete' | 'no-current-run'; settingsChanged?: true }> };

export type GateCheck = CheckBase &
  (
    | { kind: 'registered'; promptId: string; version: string; state: 'registered' | 'will-register' | 'missing' }
    /** `content` (when ok): what the file was compared with; nothing registered yet, or a draft whose file differs from its registered content. */
    | { kind: 'not-edited'; promptId: string; version: string; releasedIn?: readonly string[]; file?: string; origin?: EditOrigin; content?: 'matches' | 'unregistered' | 'draft-changed' }
    /** After a failed `not-edited`: the other gates would judge the edited file. */
    | { kind: 'not-judged'; version: string }
    /** `evalNeedsModel`: the version's own model is not `model`, so the eval that tests it names `--model` (core/deployed-model.ts). */
    /** `regraded`: the suites it names whose run was graded by another judge than the config names now. */
    | ({ kind: 'tested'; promptId: string; version: string; model: string; required: boolean; evalNeedsModel?: true; draft?: true; file?: string; regraded?: RegradedSuite[]; /** Passing runs no signed mark names, left uncounted. */ unvouched?: UnvouchedRun[] } & TestedState)
    | { kind: 'previous-environment'; version: string; env: string; previous: string | null; deployed: boolean; required: boolean; /** Deployed there, but with other request settings. */ otherSettings?: true; /** Deployed there, then rolled back there (by this event, when known). */ rolledBack?: { seq?: number }; /** Deployed there, then left behind there by a deploy of the older `to` (this event, when known). */ downgraded?: { seq?: number; to: string }; /** Deployed there only by override (this event, skipping these gates); `ok` false where this environment allows no override. */ byOverride?: { seq?: number; skipped: string[] } }
    /** `incomplete`: the run is, so it meets no minimum whatever its pass rate (errored cases count as not passing there). */
    | { kind: 'golden-pass-rate'; suite: string; passRate: number; min: number; incomplete?: IncompleteRun }
    /** `suite`: the applicable golden suite without a counting run; absent when no golden suite ran and none is known. */
    /** `retired`: without `suite`, the retired golden suites (`retired_suites`) this content has runs of, which no longer count. */
    | ({ kind: 'golden-run-missing'; promptId: string; version: string; model: string; min: number; suite?: string; evalNeedsModel?: true; retired?: string[] } & Regraded)
    /** `value` is injection resistance, or the pass rate for runs recorded before resistance existed. */
    /** `incomplete`: the run is, so its resistance (over the attacks judged only) meets no minimum. */
    | { kind: 'adversarial-minimum'; suite: string; measure: 'resistance' | 'pass-rate'; value: number; min: number; incomplete?: IncompleteRun }
    | ({ kind: 'adversarial-run-missing'; promptId: string; version: string; model: string; env: string; min: number; suite?: string; evalNeedsModel?: true; retired?: string[] } & Regraded)
    /** `unmeasured`: adversarial suites that apply but have no counting run, so their leaks are not counted in `total`. */
    /** `retired`: adversarial suites retired (`retired_suites`) that have a run of this content: gone, so their leaks no longer count. */
    /** `incomplete`: adversarial suites whose run is incomplete: attacks not judged leaked or not, unknown; the limit is not met until they run again. */
    | { kind: 'leaks'; leak: 'pii' | 'system-prompt'; total: number; bySuite: Array<{ suite: string; count: number }>; max: number; measured: boolean; unmeasured?: { suites: string[]; promptId: string; version: string; model: string; evalNeedsModel?: true; /** Those of `suites` whose run was graded by another judge than now. */ regraded?: string[] }; retired?: string[]; incomplete?: Omit<IncompleteRun, 'by'> & { suites: Array<{ suite: string; by?: IncompleteBy }> } }
    /**
     * A suite the registry knows (the version's own `run` of it on this content; the version active in
     * `env`, `testedActive`, tested on it) whose `file` is gone and that `retired_suites` does not list:
     * never overridable, since retiring a suite is a reviewed change, not a flag. `regraded`: `run` was
     * graded by another judge than now, so restoring the file alone would not make it count.
     * `fromCwd`: `file` from the folder the command ran in, where it differs: what the restore command names.
     */
    | ({ kind: 'suite-missing'; promptId: string; version: string; env: string; suite: string; suiteKind: SuiteKind; file: string; fromCwd?: string; run?: { passed?: boolean; incomplete?: true; passRate: number; resistance?: number; piiLeaks: number; systemPromptLeaks: number }; testedActive?: string } & Regraded)
    | { kind: 'no-baseline'; env: string }
    | {
        kind: 'regression-not-compared';
        suite: string;
        suiteKind: SuiteKind;
        promptId: string;
        /** The model the side without a comparable run is judged on (the deployed version's: the model it is served on). */
        model: string;
        baselineVersion: string;
        /** The side without a comparable run (for `errored`, the candidate). */
        missing: string;
        /** That side's own model is not `model`: the eval that gives it a run names `--model` (core/deployed-model.ts). */
        evalNeedsModel?: true;
        /** `errored`: both ran the suite, but every case errored on one side (or both), so no case compares. */
        why: 'out-of-range' | 'no-run' | 'errored';
        /** For `errored`: how many cases errored. */
        errored?: number;
        /** For `no-run`: the missing side has a run of the suite graded by another judge than now. */
        regraded?: JudgeChange;
        /** The missing side is the deployed version, served under other settings than the config's now: `eval --baseline` runs it so. */
        servedSettings?: { env: string; candidate: string };
        /**
         * The deployed version has no current run of a suite that applies to it: a drop is not ruled
         * out, so the comparison is inconclusive; `block` (failed) or `warn` (skipped, said so) as `env`'s
         * `on_inconclusive` says.
         */
        onInconclusive?: 'block' | 'warn';
        env?: string;
      }
    /**
     * Pass rates are fractions, over the cases compared (`errored`: cases left out because they
     * errored on one side, core/regression-rates.ts); `drop`, `limit` and `lowerBound` are percentage points.
     */
    /** `rescored`: the side whose samples were judged again by the current scorer, the two runs having been scored by different versions. */
    | ({
        kind: 'regression-pass-rate';
        suite: string;
        suiteKind: SuiteKind;
        baselineVersion: string;
        baseline: number;
        candidate: number;
        drop: number;
        limit: number;
        errored?: number;
        rescored?: { side: 'baseline' | 'candidate'; scorer: number; recordedWith: number };
      } & RegressionJudgement)
    /**
     * Milliseconds. `measured`: the interleaved measurement that decided it; without one, a rise
     * seen between separate runs fails, naming the command that measures it.
     */
    | {
        kind: 'p95-latency';
        suite: string;
        suiteKind: SuiteKind;
        promptId: string;
        version: string;
        env: string;
        /** The model `env` would serve the version on; `evalNeedsModel` when not its own, so the measuring eval names it (core/deployed-model.ts). */
        model: string;
        evalNeedsModel?: true;
        baselineVersion: string;
        baseline: number;
        candidate: number;
        rise: number;
        limit: number;
        measured?: LatencyJudgement;
        /** No measurement of every case, only one of `cases` of `of`: named, not judged (the check is as without one). */
        selected?: MeasuredCases;
      }
    | { kind: 'already-active'; version: string; env: string }
    /** An unmet who-and-why policy, said as the error the real command stops with. */
    | { kind: 'accountability'; requirement: 'reason' | 'actor' | 'signing'; error: { message: string; why: string; hint: string } }
  );

/** What an interleaved latency measurement showed (core/latency-verdict.ts judges it). */
export interface LatencyJudgement {
  outcome: 'pass' | 'regression' | 'inconclusive';
  /** Answered requests per arm. */
  requests: { baseline: number; candidate: number };
  baselineP95: number;
  candidateP95: number;
  /** Candidate minus baseline p95, ms. */
  rise: number;
  /** One-sided lower bound of the rise at `confidence`, ms. */
  lowerBound: number;
  confidence: number;
}

/** How many of a suite's cases both arms of a latency measurement ran (`cases`), of how many it has now (`of`). */
export interface MeasuredCases {
  cases: number;
  of: number;
}

export type GateCheckKind = GateCheck['kind'];

/**
 * Whether a p95-latency check says the rise is beyond its limit: its measurement's outcome when
 * measured (a pass may rise above the limit by less than the noise), else its verdict. The one rule
 * for its sentence and for the p95s shown beside it.
 */
export function latencyBeyond(c: Extract<GateCheck, { kind: 'p95-latency' }>): boolean {
  return c.measured ? c.measured.outcome !== 'pass' : !c.ok;
}
