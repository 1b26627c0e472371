import type { GateCheck, LatencyJudgement, MeasuredCases } from '../gate-check.js';
import type { RunRecord, SampleResult } from './run.js';

/**
 * What an `eval` invocation hands to its renderers (terminal, plain lines, JSON, JUnit, Markdown).
 * Built by the runner from the registry, so a resumed or cached run reports the same way.
 */

export type CaseVerdict = 'pass' | 'fail' | 'error' | 'not-run';

/** A rate's confidence interval, as reports show it beside the rate (core/eval/intervals.ts computes it). */
export interface RateInterval {
  /** The rate itself, as the report states it. */
  estimate: number;
  lower: number;
  upper: number;
  confidence: number;
  method: 'wilson' | 'clustered';
  /** What one trial is. */
  over: 'cases' | 'samples' | 'attacks';
  /** Trials the interval rests on: for `clustered`, the effective number of independent ones. */
  trials: number;
}

export interface RunIntervals {
  passRate: RateInterval;
  /** Runs whose cases ran more than one sample, when every case is in the report. */
  samplePassRate?: RateInterval;
  /** Adversarial runs: attacks that succeeded / attacks run. */
  attackSuccessRate?: RateInterval;
  /** Adversarial runs: per attack category, in the summary's order. */
  categories?: Array<{ category: string; successRate: RateInterval }>;
}

export interface CaseOutcome {
  caseId: string;
  verdict: CaseVerdict;
  /** Passing samples / scored samples. */
  passRate: number;
  minPassRate: number;
  samples: SampleResult[];
  /** Adversarial cases: the attack category. */
  category?: string;
  /** The 95% interval of `passRate`, added when a report is built (never stored). */
  passRateInterval?: RateInterval;
  /**
   * The case's variables over its suite's base_vars, as they were rendered into the prompt (attack
   * payloads included), read from the suite file when a report is built (never stored). Raw: shared
   * reports redact them as they redact outputs.
   */
  vars?: Record<string, string | number | boolean>;
  /**
   * A conversation case's turns after the rendered prompt (`messages:`), rendered with its variables
   * as they were sent; an assistant turn without content is the model's own reply (the sample's
   * `exchange.turns`). Read from the suite file with `vars` (never stored). Raw, as `vars` are.
   */
  turns?: Array<{ role: string; content?: string }>;
}

export interface RunOutcome {
  run: RunRecord;
  threshold: number;
  cases: CaseOutcome[];
  /** 95% intervals of the run's rates, added when a report is built (never stored with the run). */
  intervals?: RunIntervals;
  /** Set in a model matrix: the run is named with its model (`id@version:model`) wherever it is shown. */
  showModel?: boolean;
  /**
   * Set for a run of the version deployed in this environment (`--baseline`), made only to compare
   * the candidates with: with the model and request settings that environment serves it with. Named
   * `id@version [as deployed in env]`; its verdict decides nothing (only candidates gate).
   */
  asDeployedIn?: string;
  /**
   * Set by `eval` for a partial run of a selection (`--case`, `--tag`, `--sample`,
   * `--filter-failing`): its suite as the cases last ran, the selected cases' results merged into
   * the counting run's (core/eval/latest-verdicts.ts `suiteAsLastRan`). Its verdict is the one
   * eval reports and exits on; the run's own summary is the selection's.
   */
  asLastRan?: SuiteAsLastRan;
}

/** A suite as its cases last ran: each case's most recent verdict, counted and judged against the threshold (core/eval/latest-verdicts.ts). */
export interface SuiteAsLastRan {
  verdict: 'passed' | 'failed' | 'incomplete';
  passRate: number;
  cases: number;
  passed: number;
  failed: number;
  errored: number;
  notRun: number;
}

export interface BaselineComparison {
  env: string;
  promptId: string;
  /** The version evaluated (absent in reports written before it was recorded). */
  version?: string;
  /** The version deployed in `env`, or null when nothing is deployed there. */
  baselineVersion: string | null;
  /** ci: the version compared is not one of the candidates, so its failed checks do not gate (each is worded `not gating: …`). */
  notGating?: true;
  suites: Array<{
    suite: string;
    /** The pass rates the regression check compared: over the cases both runs judged (see `errored`). */
    passRate: number;
    baselinePassRate: number | null;
    /** Cases left out of the comparison because they errored on one side; absent when none. */
    errored?: number;
    /**
     * The limit of the suite's pass-rate check when it failed or warned (absent otherwise): the
     * rates and their Δ are then shown as its sentence shows them, with the decimals that keep the
     * drop beyond the limit (render/deltas.ts `comparedRates`).
     */
    passRateLimit?: number;
    p95: number;
    baselineP95: number | null;
    /**
     * The suite's p95-latency check (absent without one): its limit and whether the rise is beyond
     * it, so the p95s and their Δ are shown as its sentence shows them wherever whole milliseconds
     * would contradict it (render/deltas.ts `comparedP95`).
     */
    p95Check?: { limit: number; beyond: boolean };
    /** Every failed regression check, worded: each fails the gate. */
    regressions: string[];
    /**
     * Those of `regressions` that prove no regression (core/gate-regression.ts `isInconclusive`):
     * they fail the gate too, but are shown as inconclusive. Absent when there are none.
     */
    inconclusive?: string[];
    /**
     * Checks that did not pass but do not block in this environment (an inconclusive drop or rise
     * where `on_inconclusive` is `warn`), worded as deploy's `warn` lines. Absent when there are none.
     */
    warnings?: string[];
    /** The side re-scored by the current scorer first: the two runs were scored by different scorer versions. */
    rescored?: { side: 'baseline' | 'candidate'; scorer: number; recordedWith: number };
  }>;
}

/** A baseline comparison before it is worded: each suite's failed regression checks as facts (`render/gate-text.ts` words them). */
export type BaselineFacts = Omit<BaselineComparison, 'suites'> & {
  suites: Array<Omit<BaselineComparison['suites'][number], 'regressions' | 'warnings'> & { regressions: GateCheck[]; warnings?: GateCheck[] }>;
};

/** A version an eval left out, and why (`no suite applies`). */
export interface NotEvaluated {
  ref: string;
  why: string;
}

export interface EvalReport {
  invocationId: string;
  model: string;
  server: string;
  startedAt: string;
  endedAt: string;
  runs: RunOutcome[];
  /** Versions evaluated, and whether this invocation earned (or kept) their tested mark. */
  versions: Array<{
    promptId: string;
    version: string;
    tested: boolean;
    reason?: string;
    /** The model of the mark, in a model matrix. */
    model?: string;
    /** Suites the registry knows whose file is gone and not retired (core/gate-gone-suites.ts): no mark, and the eval fails, as deploy would refuse. */
    goneSuites?: string[];
    /**
     * Suites this eval ran whose counting run (the latest, which the mark rests on) is another
     * eval's, which ran the same suite at the same time (two CI jobs on one version): the mark line
     * says so, or it would contradict this eval's own table. Absent when none.
     */
    otherEvals?: Array<{ suite: string; runId: string }>;
    /**
     * Suites whose run this eval started but was stopped (interrupted) before it could count: the
     * mark rests there on an earlier eval's run, which the mark line names, so it does not read as
     * earned by this eval. Absent when none.
     */
    earlierRuns?: Array<{ suite: string; runId: string }>;
  }>;
  baselines: BaselineComparison[];
  /** The model matrix (`eval --model a --model b`, `server.models`): runs and marks name their model. */
  matrix?: string[];
  /** Set when the run stopped early (circuit breaker, interrupt). */
  aborted?: string;
  /** `eval` of every prompt: the versions no suite applies to, so nothing was run for them (as ci's `notEvaluated`). */
  notEvaluated?: NotEvaluated[];
  /**
   * --filter-failing: suites whose every case passed when they last ran on `model`, so nothing was
   * re-run for them there; `selected`: every case `--case`, `--tag` or `--sample` selected passed (not every case of the suite).
   */
  nothingFailing?: Array<{ promptId: string; version: string; suite: string; model: string; selected?: true }>;
  /** `--shard i/n`: this invocation recorded one shard; its verdict comes from `--merge`. */
  shard?: { index: number; count: number; invocation: string };
  /** `--merge`: the shards judged together, and those that did not finish. */
  merge?: ShardMerge;
  /** `--measure-latency`: each interleaved measurement against the baseline environment's version, judged. */
  latency?: LatencyReport[];
}

/** One suite's interleaved latency measurement of a version against the one deployed in `env`. */
export interface LatencyReport {
  promptId: string;
  version: string;
  env: string;
  baselineVersion: string;
  suite: string;
  kind: 'golden' | 'adversarial';
  /** max_p95_latency_increase_ms of `env`. */
  limit: number;
  judgement: LatencyJudgement;
  /** Only some of the suite's cases were measured (a selection): the judgement is shown, but deploy judges only a measurement of every case. */
  selected?: MeasuredCases;
}

/** What a merge of a sharded invocation found. */
export interface ShardMerge {
  invocation: string;
  /** The n of `--shard i/n` the shards ran with; null when no shard of the invocation finished or stopped. */
  count: number | null;
  /**
   * Shards whose share of a run is not recorded (shard null: no shard of the invocation was found).
   * 'still running': a job holds its run's live lease (`lease`); 'running or crashed': its run never
   * ended, and no live holder has it. 'other weights': the invocation's shards on this model were
   * answered by different weights, so none is merged: `weights` is this shard's behind `model`
   * (null: unknown, a server that names no root).
   */
  missing: Array<{
    promptId: string;
    version: string;
    suite: string;
    shard: string | null;
    state: 'never ran' | 'other inputs' | 'other weights' | 'stopped' | 'still running' | 'running or crashed';
    lease?: { holder: string; expiresAt: string };
    model?: string;
    weights?: string | null;
  }>;
}

/** Live progress, as the runner emits it; renderers draw from these. */
export type ProgressEvent =
  /** `total` samples to score in this invocation; `resumed` were recorded by an earlier one and are skipped. */
  | { type: 'start'; total: number; resumed: number; label: string }
  /** `model`: set when the runs are on several models (a matrix), so a line names which. */
  | { type: 'sample'; result: SampleResult; suite: string; promptId: string; version: string; model?: string }
  | { type: 'notice'; message: string }
  /** Something the person should know that does not stop the run (a replica left out); printed as `warning: …`. */
  | { type: 'warning'; message: string }
  | { type: 'end' };
