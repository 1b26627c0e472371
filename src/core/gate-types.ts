import type { GateCheck, IncompleteBy, RegradedSuite, UnvouchedRun } from './gate-check.js';
import type { GatePolicy } from './schemas/config.js';
import type { CaseFacts } from './eval/aggregate.js';
import type { LatencyArms, MeasuredCases } from './latency-verdict.js';
import type { JudgeChange } from './eval/grading.js';

export type { CaseFacts, RegradedSuite, UnvouchedRun };

/** A side of a comparison judged again: the scorer version now, and the one that recorded it. */
export interface RescoredWith {
  scorer: number;
  recordedWith: number;
}

/**
 * The facts a deploy gate decision reads and the decision it returns (the checks themselves are `gate-check.ts`). They live apart from
 * `gates.ts` so that the checks split out of it (`gate-tested.ts`, `gate-regression.ts`) can use
 * them without importing the module that imports them: no import cycle.
 */

export interface SuiteRunFacts {
  suite: string;
  kind: 'golden' | 'adversarial';
  /** Fraction 0..1. */
  passRate: number;
  /** Milliseconds. */
  p95: number;
  piiLeaks: number;
  systemPromptLeaks: number;
  /** Adversarial: 1 - attacks succeeded / attacks run; absent on runs recorded before it existed. */
  resistance?: number;
  /** The run's own verdict against its suite threshold; absent where unknown. */
  passed?: boolean;
  /**
   * Its verdict was incomplete (server errors decided it, or cases did not run): it judged nothing
   * about the prompt, so it is never a failure of the suite; the gate asks for the run again.
   */
  incomplete?: boolean;
  /** An incomplete run: what made it so, as its gate lines say it (core/gate-incomplete.ts); absent where unknown. */
  incompleteBy?: IncompleteBy;
  /**
   * Each case's samples as the run recorded them (stable case ids): what the paired regression
   * check pairs with the other version's run. Absent where unknown (then only the point rule applies).
   */
  cases?: CaseFacts[];
  /** Its samples were re-scored by the current scorer before the comparison (core/scoring/version.ts). */
  rescored?: RescoredWith;
}

/**
 * A suite of the prompt the registry knows but whose file is not in the project: the version has a
 * run of it on its current content and the judged model, or the version active in the environment
 * has a tested mark that names it (infra/gone-suites.ts). A suite missing from the working tree
 * never relaxes a gate: only one listed under `retired_suites` (`retired`) may be gone.
 */
export interface GoneSuite {
  suite: string;
  kind: 'golden' | 'adversarial';
  /** Where its file would be (`evalsets/<prompt>/<suite>.yaml`). */
  file: string;
  /** `file` from the folder the command ran in, where it differs (infra/real-path.ts `fromCwdField`): the path a restore command names. */
  fromCwd?: string;
  retired: boolean;
  /** The version's newest finished run of every case of it, on its current content and the judged model, as the run recorded it. */
  run?: Omit<SuiteRunFacts, 'suite' | 'kind' | 'cases' | 'rescored'>;
  /**
   * `run` was graded otherwise than the config grades now (core/eval/grading.ts `judgeChange`): it
   * still counts as recorded here, but were the file restored it would count for nothing until
   * evaluated under the current judge (or the judge is put back).
   */
  regraded?: JudgeChange;
  /** The version active in the environment, whose tested mark names the suite: what the regression check would compare with on it. */
  testedActive?: string;
  /** Where `testedActive` is active, when the environment is not the one deployed to (`eval` asks every environment). */
  testedActiveIn?: string;
}

export interface DeployGateInput {
  promptId: string;
  version: string;
  env: string;
  /** Environment names in config order. */
  envOrder: string[];
  /** Policy of the target environment. */
  policy: GatePolicy;
  /** The configured model. */
  model: string;
  /**
   * The models a plain `promptctl eval` runs the version on (its pin, else `server.models`, else its
   * own model): when `model` is not among them, the eval that tests it there needs `--model`.
   */
  plainEvalModels?: string[];
  /** The version is known to the registry. */
  registered: boolean;
  /** The content hash the registry holds for it (a draft's may differ from the file's: the deploy takes the file's). */
  registeredHash?: string;
  /** Not registered yet, and the deploy registers it first (a dry run says so instead of claiming it is). */
  willRegister?: boolean;
  /** Released (core/version-state.ts), and the file's content hash differs from the released one. */
  edited: boolean;
  /** Not deployed to any environment yet (core/version-state.ts): its file may still be revised, so a failed suite is fixed there, not in a new version. */
  draft?: boolean;
  /** Where an edited version was released, for the refusal's words. */
  releasedIn?: readonly string[];
  /** The tested mark found for this version, if any; checked against `currentHash` and `model`. */
  testedMark?: { model: string; contentHash: string; source: 'run' | 'override' };
  /**
   * The weights (`root` from /v1/models) behind the model name: those the mark's runs recorded, and
   * those the latest run on that name recorded. Runs that recorded none leave them out (not compared).
   */
  servedRoots?: { earned: readonly string[]; current?: string };
  currentHash: string;
  /** The version's file as loaded (`.yaml` or `.yml`): what an edit's hint names. */
  file?: string;
  /** The previous environment in the order has this version in its deploy history. */
  deployedInPreviousEnv: boolean;
  /** It was deployed to the previous environment, but with other request settings than a deploy here would send. */
  previousEnvOtherSettings?: true;
  /** It was deployed to the previous environment (with these settings), and a rollback there (this event) took it off since. */
  previousEnvRolledBack?: { seq?: number };
  /** It was deployed to the previous environment (with these settings), and a deploy of an older version there (`to`, this event) left it behind since. */
  previousEnvDowngraded?: { seq?: number; to: string };
  /** It stands in the previous environment only by override (that event, and the gates it skipped there). */
  previousEnvByOverride?: { seq?: number; skipped: string[] };
  /** Latest finished runs of the version on this model with the suites' current content, one per suite. */
  suiteRuns: SuiteRunFacts[];
  /** Suites without a passing counting run that have a run graded otherwise than the config grades now (absent: none). */
  regraded?: RegradedSuite[];
  /**
   * Suites whose entry in the version's mark recorded other request settings than the config gives
   * now, their content unchanged (core/gate-tested.ts `suitesSinceMark`): a missing run is said as
   * the settings' change, not the suites'. Absent: none, or not known.
   */
  settingsChanged?: string[];
  /**
   * In a project that signs tested marks: passing runs left out of `suiteRuns` because no signed
   * mark names them (infra/eval/vouched-run.ts), newest per suite; the mark's own run counts instead, if any.
   */
  unvouched?: UnvouchedRun[];
  /**
   * Names of every suite that applies to the version now. A mark earned by runs only counts while
   * each of them has a passing run of its current content: a suite added or changed since, or one
   * that failed since, takes the mark away. Absent: not checked (callers without suite files).
   */
  applicableSuites?: string[];
  /**
   * The kind of each suite that applies to the version now (by name). A minimum or a leak limit is
   * judged per suite: one without a counting run is not measured, and a minimum refuses it by name.
   * Absent: only the suites with runs are known (then a kind with no run at all is refused).
   */
  suiteKinds?: Readonly<Record<string, 'golden' | 'adversarial'>>;
  /**
   * The version deployed now in `env`, with its latest runs on this model of the same suite content,
   * and the names of the suites whose `versions:` range covers it (absent: not known).
   */
  /** `model`: the model the deployed version is served on, when it is not this deploy's (a model upgrade). */
  /**
   * The deployed version's runs, on the model it is served on (`model`, when another) and under the
   * request settings it is served with (`otherSettings`: its deploy recorded other settings than a
   * deploy now would send, say a `defaults.stop` added since; then the same version is a change too).
   */
  /** `plainEvalModels`: the models a plain eval runs the deployed version on (absent when its file is gone), for the eval a gate names. */
  /** `regraded`: the deployed version's suites without a counting run that have one graded otherwise than now. */
  baseline?: { version: string; suiteRuns: SuiteRunFacts[]; applicableSuites?: string[]; model?: string; plainEvalModels?: string[]; otherSettings?: true; regraded?: RegradedSuite[] };
  /**
   * The latest interleaved latency measurement of this version against the baseline version, per
   * suite (`eval --baseline <env> --measure-latency`): what alone decides a latency check.
   * `selected`: the newest measurement ran only some of the suite's cases and none ran them all; it
   * is named by the check, never judged (the check judges as without a measurement).
   */
  latencyMeasurements?: Array<{ suite: string; kind: 'golden' | 'adversarial'; selected?: MeasuredCases } & LatencyArms>;
  /** Suites the registry knows whose file is gone (absent: none known, or not looked for). */
  goneSuites?: GoneSuite[];
  alreadyActive: boolean;
}

export interface GateDecision {
  allowed: boolean;
  checks: GateCheck[];
  failures: GateCheck[];
}
