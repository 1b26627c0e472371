import type { StopRecord } from '../errors.js';
import type { LintOutcome } from '../lint/outcome.js';
import type { EvalReport, ShardMerge } from '../schemas/report.js';
import type { CiPlan } from './plan.js';
import type { ProjectFiles } from '../refs.js';
import type { ChangeKind } from '../compare.js';
import type { SettingChange } from '../deployed-model.js';
import type { NotServedRun } from './gating.js';
import type { TrustChange } from './trust-settings.js';

/**
 * What `promptctl ci` found, as data: the command computes it, render/ci-summary.ts prints it as
 * text, Markdown and JUnit.
 */

export interface CiResult {
  base: string;
  baseline: string;
  plan: CiPlan;
  lint: LintOutcome;
  notEvaluated: Array<{ ref: string; why: string }>;
  report?: EvalReport;
  diffs: Array<{ ref: string; against: string | null; patch: string }>;
  /** Regressions of re-evaluated versions that are not candidates: reported, not gated. */
  informational: Array<{ ref: string; env: string; baselineVersion: string; regressions: string[] }>;
  /**
   * Candidates whose runs the baseline environment's own gates refuse (a minimum, a leak limit, a
   * suite kind its policy needs with no run), worded as deploy's FAIL lines: each fails ci, as
   * deploy there would refuse the version. Absent when none.
   */
  policy?: Array<{ ref: string; env: string; failures: string[] }>;
  /**
   * Candidates' runs on a matrix model (`server.models`) that no environment would serve them on:
   * reported, not gated (core/ci/gating.ts). Absent when none.
   */
  notServed?: NotServedRun[];
  /** Candidates' prompts with nothing deployed in the baseline env of this registry: not checked. */
  noBaseline: string[];
  /**
   * The configured environments (in order) where those prompts do have a version deployed: the
   * baseline environment has none yet (one the change adds), so compare with `--baseline <env>`.
   * Absent when none has, or there is no registry (the deploy history did not reach ci).
   */
  deployedElsewhere?: string[];
  /**
   * Deleted versions and suites ci could not check against the deploy history (`version/deleted-deployed`,
   * `suite/deleted-deployed`): no registry file at `registry` (a fresh checkout, an evicted CI cache). Absent when checked.
   */
  deletionsUnchecked?: { registry: string; versions: string[]; suites: string[] };
  /** New (unmerged) versions whose revised content replaced what an earlier run registered. */
  revised: Revision[];
  /** HEAD is already on the base and nothing ci checks is uncommitted: nothing to gate, so `error` says so (exit 2), never a pass. */
  headOnBase?: boolean;
  /** Set when a typed error stopped ci; the summary and JUnit still describe it. `error` is its kind, as in every JSON error (`BadInput`, `Unavailable`…). */
  error?: StopRecord;
  /**
   * Trust settings of `.promptrc.yaml` (server.base_url, server.api_key_env, registry, signing) the
   * pull request changes from the base's: ci then opens neither server nor registry, and refuses
   * the change together with anything to evaluate (core/ci/trust-settings.ts). Absent when none.
   */
  trustChanges?: TrustChange[];
  /** Every field of `.promptrc.yaml` the pull request changes (defaults filled in), for the reviewer. Absent when none. */
  configChanges?: TrustChange[];
  /** The audit log's head when ci finished (`<seq>:<hash>`), to anchor outside the registry; absent with no log, or one that does not verify. */
  auditHead?: string;
  /**
   * Why ci anchors no head: the audit log does not verify (or its SQLite file is damaged), which
   * `audit head` refuses (exit 3). A warning, not a gate: ci's verdict on the pull request stands,
   * as deploy still appends after an older broken event (only an edited newest event stops an
   * append, ci's eval included). Absent when the head is given, or there is no log.
   */
  auditUnverified?: { message: string; why: string; hint: string };
  /** `ci --shard i/n`: this job recorded its shard of the invocation; `ci --merge` gives the verdict. */
  shard?: { index: number; count: number; invocation: string };
  /** `.promptrc.yaml` changed an environment's model: each deployed version re-evaluated on it, compared and gated. */
  modelUpgrades?: ModelUpgrade[];
  /** `ci --merge`: the shards judged together; a missing one makes the verdict `incomplete`. */
  merge?: ShardMerge;
  /** The files of the evaluated prompts' versions and suites, as loaded (`.yaml` or `.yml`): what annotations point at. */
  files?: ProjectFiles;
  /**
   * The project's folder inside the repository CI checked out (GITHUB_WORKSPACE when set, else
   * git's top folder), '' or ending in `/`: annotations name files from there, as GitHub reads
   * them. Absent when unknown (ci stopped before finding the repository): paths stay the project's.
   */
  repositoryPath?: string;
  /** The HTML report written (`html`), when something was evaluated. */
  htmlFile?: string;
  verdict: 'passed' | 'nothing-changed' | 'lint-failed' | 'gate-failed' | 'server-unavailable' | 'interrupted' | 'error' | 'shard-recorded' | 'incomplete';
  exitCode: number;
}

/** A version not on the base branch yet whose revised content replaced what an earlier run registered. */
export interface Revision {
  ref: string;
  file: string;
  /** Content hash registered before, now superseded. */
  from: string;
  to: string;
}

/**
 * A model upgrade ci judged: the version deployed in `env`, served on `from`, next on `to`; or a
 * change of its request settings (`settings`, a `defaults` change), on the same model or with it.
 */
export interface ModelUpgrade {
  promptId: string;
  version: string;
  env: string;
  from: string;
  to: string;
  /** The request settings besides the model that change from what the deploy recorded. */
  settings?: SettingChange[];
  /** Cases compared, by how their verdict changed from the old model to the new one. */
  changes: Record<ChangeKind, number>;
  /** Case ids whose verdict fell (pass on the old model, not on the new). */
  regressed: string[];
  allowed: boolean;
  /** The gates the upgrade fails, worded as deploy words them. */
  failures: string[];
}

/**
 * Which of ci's Markdown files is worded: the `--summary` file (posted as a pull-request comment),
 * with a step summary beside it (`summary`) or without one (`summary-alone`: GitLab, a job without
 * `$GITHUB_STEP_SUMMARY`), or `$GITHUB_STEP_SUMMARY` itself.
 */
export type SummaryFile = 'summary' | 'summary-alone' | 'step-summary';
