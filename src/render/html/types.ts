import type { BaselineComparison, CaseVerdict, RunOutcome } from '../../core/schemas/report.js';
import type { RunSummary, SampleResult } from '../../core/schemas/run.js';
import type { ChangeKind } from '../compare.js';
import type { HistorySeries } from '../../app/report-sources.js';

export type { HistoryPoint, HistorySeries } from '../../app/report-sources.js';

/** The shapes of the HTML report's data: what the generator writes as JSON and the page reads. */

export interface ReportReason {
  expectation: string;
  message: string;
  expected?: string;
  actual?: string;
  /** Samples that failed this way. */
  count: number;
}

export interface ReportSample {
  /** The sample's own number, as the terminal's lines and JUnit name it (`#0` first). */
  sample: number;
  verdict: SampleResult['verdict'];
  output: string;
  /** The sample's tool calls (name, arguments as the model wrote them; redacted), when it made any. */
  toolCalls?: Array<{ name: string; arguments: string }>;
  /** A conversation's earlier replies (`assistant turn 1` first), each with its tool calls; redacted and capped as outputs are. */
  turns?: Array<{ output: string; toolCalls?: Array<{ name: string; arguments: string }> }>;
  latencyMs: number;
  tokensOut: number;
  error?: string;
  leaks?: string[];
}

/** One case of one version: its verdict, why, and the output shown (core/compare.ts shownSample: one that agrees with its verdict). */
export interface ReportSide {
  verdict: CaseVerdict;
  /** Passing samples of all the case's samples, as its verdict weighs them (an errored sample is not a pass); 0 for a case not run, which has none (no `shown`). */
  passRate: number;
  /** `20.7–93.9%`: the 95% interval of `passRate` (passing of all samples, an errored one not a pass), when the case has more than one sample. */
  passRateCi?: string;
  minPassRate: number;
  /** The pass rate and the case's minimum as every report shows them beside each other (`percentsAtMinimum`): never a shown value that meets a shown limit the verdict says it missed. Absent for a case not run. */
  shown?: { value: string; limit: string };
  /** When some sample ended in an error (and the case ran): its samples counted beside the pass rate, `2 of 3 samples passed, 1 errored`. */
  sampleCounts?: { passed: number; errored: number; of: number };
  /** Which sample the output is, for its heading when the case has several: `first failing sample, #1`. */
  shownFrom?: string;
  output: string;
  /** The shown sample's tool calls (name, arguments as the model wrote them; redacted), when it made any. */
  toolCalls?: Array<{ name: string; arguments: string }>;
  /** The shown sample's replies at a conversation's earlier turns (`assistant turn 1` first), each with its tool calls; redacted and capped as outputs are. */
  turns?: Array<{ output: string; toolCalls?: Array<{ name: string; arguments: string }> }>;
  reasons: ReportReason[];
  latencyMs: number | null;
  tokensOut: number;
  error?: string;
  /** Every sample, when the case has more than one. */
  samples?: ReportSample[];
}

export interface ReportCase {
  /** Index into `runs` (run reports) or `groups` (comparisons). */
  run: number;
  suite: string;
  caseId: string;
  category?: string;
  /** What the case asked: its variables over base_vars (attack payloads included), redacted and capped; absent when the suite file changed. */
  inputs?: Array<{ name: string; value: string }>;
  /** A conversation case's turns after the prompt, by role; `content` absent where the model replied (the side's `turns`). Redacted and capped. */
  turns?: Array<{ role: string; content?: string }>;
  expectations: string[];
  a: ReportSide;
  /** Comparisons: the second version's side. */
  b?: ReportSide;
  change?: ChangeKind;
  /** Comparisons: no answer on either side (errored or not run on both), filtered apart from the changed outputs. */
  unanswered?: true;
}

export interface ReportRun {
  id: string;
  invocationId: string;
  promptId: string;
  version: string;
  suite: string;
  kind: 'golden' | 'adversarial';
  status: string;
  model: string;
  threshold: number | null;
  startedAt: string;
  summary: RunSummary;
  /** What sets the run apart from a full run of its version and suite (`latency measurement`, `shard 1/2`, `partial`: run-stats.ts runTag), said in its name. */
  tag?: string;
  /**
   * The version's messages as templates, split into text (redacted and escaped as outputs are) and variable
   * names: the page fills them with a case's inputs to show the messages it sent. Once per run, not
   * per case; absent when the version file no longer has the content the run used.
   */
  messages?: Array<{ role: string; parts: Array<string | { v: string }> }>;
}

/** Overall numbers for the summary cards (one set per side in a comparison). */
export interface Totals {
  label: string;
  cases: number;
  passed: number;
  failed: number;
  errored: number;
  notRun: number;
  passRate: number;
  samples: number;
  errorSamples: number;
  latencyP50: number;
  latencyP95: number;
  tokensIn: number;
  tokensOut: number;
}

export interface ReportData {
  kind: 'run' | 'compare';
  title: string;
  generatedAt: string;
  promptctlVersion: string;
  model: string;
  server: string;
  invocations: string[];
  notes: string[];
  runs: ReportRun[];
  /** Comparisons: the two versions, and per suite the runs on each side (indexes into `runs`). */
  comparison?: { promptId: string; a: string; b: string; groups: Array<{ suite: string; a: number; b: number }> };
  cases: ReportCase[];
  totals: Totals[];
  baselines: BaselineComparison[];
  history: HistorySeries[];
  /** The verdict the command that wrote the report exited with (ci's): in its words, and its tone; absent: the runs' own verdicts are said. */
  verdict?: CommandVerdict;
}

/** A command's own verdict on the page: its headline, and the colour that goes with it (never the runs' when they disagree). */
export interface CommandVerdict {
  words: string;
  tone: 'passed' | 'failed' | 'incomplete';
}

export interface ReportInput {
  title: string;
  generatedAt: string;
  promptctlVersion: string;
  outcomes: RunOutcome[];
  /** Described expectations per `${runId}/${caseId}` (or per `${suite}/${caseId}`), when the suite file is known. */
  expectations?: (run: RunOutcome, caseId: string) => string[];
  /** The message templates of the version a run used, when its file still has that content. */
  messageTemplates?: (run: RunOutcome['run']) => ReadonlyArray<{ role: string; content: string }> | undefined;
  comparison?: { promptId: string; a: string; b: string };
  baselines?: BaselineComparison[];
  history?: HistorySeries[];
  notes?: string[];
  /** The verdict the command exited with (ci's headline and its tone), said first on the page. */
  verdict?: CommandVerdict;
}
