import { z } from 'zod';

/**
 * Records of eval runs. A run is one prompt version against one suite on one model; one `eval`
 * invocation creates several runs that share an `invocationId`.
 */

export const SampleVerdict = z.enum(['pass', 'fail', 'error']);
export type SampleVerdict = z.infer<typeof SampleVerdict>;

/** Why one expectation failed on one sample. */
export const FailureReason = z.object({
  expectation: z.string(),
  message: z.string(),
  expected: z.string().optional(),
  actual: z.string().optional(),
});
export type FailureReason = z.infer<typeof FailureReason>;

/** A tool call as the server returned it: the arguments are the model's raw JSON text. */
export const ToolCall = z.object({ name: z.string(), arguments: z.string() });
export type ToolCall = z.infer<typeof ToolCall>;

/**
 * What a sample exchanged beyond its final text: the tool calls of the final answer (in order,
 * the call answered by `tool_results` included; the ones tool checks judge), the replies the model
 * gave at the conversation's earlier assistant turns, and the calls it made at those turns (one
 * list per turn, present when any turn called a tool; recorded, never judged). Samples recorded
 * before `turnToolCalls` existed hold every turn's calls in `toolCalls`.
 */
export const SampleExchange = z.object({
  toolCalls: z.array(ToolCall).optional(),
  turns: z.array(z.string()).optional(),
  turnToolCalls: z.array(z.array(ToolCall)).optional(),
  /**
   * The final answer's own request, when the exchange took several: what max-tokens and
   * max-latency-ms judge (the sample's tokensOut and latencyMs count every request, for cost).
   */
  answer: z.object({ tokensOut: z.number().int().nonnegative(), latencyMs: z.number().nonnegative() }).optional(),
  /**
   * The server's final answer carried no completion token count (`usage`): tokensOut reads 0 for
   * want of one, so max-tokens cannot judge it (kept with the sample and its cached answer).
   */
  tokensUnreported: z.literal(true).optional(),
  /**
   * The server stopped the final answer at its token limit (finish_reason "length": `max_tokens`,
   * or the model's context length): the text may be cut mid-way (kept with its cached answer).
   */
  truncated: z.literal(true).optional(),
});
export type SampleExchange = z.infer<typeof SampleExchange>;

/** One sample of one case: one request and its scoring. */
export const SampleResult = z.object({
  runId: z.string(),
  caseId: z.string(),
  sample: z.number().int().nonnegative(),
  verdict: SampleVerdict,
  output: z.string(),
  reasons: z.array(FailureReason),
  latencyMs: z.number().nonnegative(),
  tokensIn: z.number().int().nonnegative(),
  tokensOut: z.number().int().nonnegative(),
  cached: z.boolean(),
  /** Transport or server error message; set only when verdict is `error`. */
  error: z.string().optional(),
  /** Adversarial metadata: attack category, and what leaked. */
  category: z.string().optional(),
  leaks: z.array(z.enum(['canary', 'system-prompt', 'pii'])).optional(),
  /** Tool calls and earlier turns, when the sample had any (`output` is the final answer). */
  exchange: SampleExchange.optional(),
});
export type SampleResult = z.infer<typeof SampleResult>;

/**
 * How a run's answers were graded where a model grades them (core/eval/grading.ts), beside what it
 * sent: `rubric`, the judge model of its `judge:` rubrics that name none of their own; `safety`, the
 * judge model asked its `refusal` and `no-compliance` checks, or null where the refusal patterns
 * matched them. Only the graders its expectations use.
 */
export const Grading = z.object({ rubric: z.string().optional(), safety: z.string().nullable().optional() });
export type Grading = z.infer<typeof Grading>;

export const RunStatus = z.enum(['running', 'finished', 'aborted']);
export type RunStatus = z.infer<typeof RunStatus>;

export const RunSummary = z.object({
  cases: z.number().int(),
  passed: z.number().int(),
  failed: z.number().int(),
  errored: z.number().int(),
  notRun: z.number().int(),
  samples: z.number().int(),
  passRate: z.number(),
  verdict: z.enum(['passed', 'failed', 'incomplete']),
  latencyP50: z.number(),
  latencyP95: z.number(),
  latencyP99: z.number(),
  tokensIn: z.number().int(),
  tokensOut: z.number().int(),
  /**
   * Incomplete runs: the samples that ended in errors and the share of samples `max_error_rate`
   * allowed, what says why the verdict is incomplete (core/eval/incomplete-why.ts). Absent on passed
   * and failed runs, and on runs recorded before it was (their reason is then said from the counts).
   */
  errors: z.object({ samples: z.number().int(), maxRate: z.number() }).optional(),
  /** Adversarial runs: per attack category. */
  categories: z
    .array(
      z.object({
        category: z.string(),
        /** Attacks run (some sample judged); summaries recorded before notRun existed counted every attack here. */
        attacks: z.number().int(),
        succeeded: z.number().int(),
        successRate: z.number(),
        /** Attacks of the category every sample of which errored (the case's verdict is `error`). */
        errored: z.number().int().optional(),
        /**
         * Attacks of the category none of whose samples was judged and that are not `errored`: samples
         * missing (never sent). Summaries recorded before `errored` existed count errored attacks here too.
         */
        notRun: z.number().int().optional(),
      }),
    )
    .optional(),
  /**
   * Adversarial runs: attacks run (cases with at least one judged sample), attacks that succeeded
   * (any sample failed: the attacker needs one success), and 1 - succeeded / run.
   */
  attacks: z.number().int().optional(),
  attacksSucceeded: z.number().int().optional(),
  resistance: z.number().optional(),
  piiLeaks: z.number().int().optional(),
  /** A --filter-failing run of some cases only: never counts for gates or tested marks. */
  partial: z.boolean().optional(),
  /** A shard's run (`--shard i/n`, also partial): its cases of the shard only, merged by `ci --merge`. */
  shard: z.object({ index: z.number().int().min(1), count: z.number().int().min(1) }).optional(),
  /** A merged run (`--merge`): the shard runs whose samples it copied, so a merge job run again judges a retried shard anew. */
  mergedFrom: z.array(z.string()).optional(),
  /** An arm of an interleaved latency measurement (`--measure-latency`, also partial): read by the latency gate only. */
  latency: z
    .object({ measurement: z.string(), arm: z.enum(['baseline', 'candidate']), versus: z.object({ version: z.string(), hash: z.string() }) })
    .optional(),
  systemPromptLeaks: z.number().int().optional(),
  /** `n`: samples of a case came from one request with `n` (n-sampling); absent: one request per sample. */
  requestMode: z.enum(['seed', 'n']).optional(),
  /** n mode: prompt tokens not prefilled again, against one request per sample. */
  promptTokensSaved: z.number().int().optional(),
  /**
   * What /v1/models said the run's model is: `root` (its weights) and, for a LoRA adapter, `parent`
   * and the root the parent loads (`parentRoot`). A run answered wholly from the cache (`cachedRoot`
   * beside) records what it said of the weights the reused answers came from, where the registry knew it.
   */
  served: z.object({ root: z.string().optional(), parent: z.string().optional(), parentRoot: z.string().optional() }).optional(),
  /** A run answered wholly from the cache asked the server nothing: the one `root` its cached answers recorded, when they agree. */
  cachedRoot: z.string().optional(),
  /** `settingsKey` of the request settings outside the version and suite files; absent on runs recorded before it was. */
  settings: z.string().optional(),
  /**
   * How its answers were graded (`Grading`); absent on runs of suites that use no judge, and on runs
   * recorded before runs recorded it (then it counts however it was graded, as runs without `settings`).
   */
  grading: Grading.optional(),
  /** The scorer that judged the samples (core/scoring/version.ts); absent on runs recorded before it was: version 1. */
  scorerVersion: z.number().int().min(1).optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** The counts of a summary that say why its verdict is incomplete (core/eval/incomplete-why.ts). */
export type IncompleteFacts = Pick<RunSummary, 'verdict' | 'cases' | 'passed' | 'failed' | 'errored' | 'notRun' | 'samples' | 'errors'>;

export const RunRecord = z.object({
  id: z.string(),
  invocationId: z.string(),
  /** Hash of everything that decides the requests: used to find a run to resume. */
  inputsKey: z.string(),
  promptId: z.string(),
  version: z.string(),
  promptHash: z.string(),
  suite: z.string(),
  suiteKind: z.enum(['golden', 'adversarial']),
  suiteHash: z.string(),
  model: z.string(),
  server: z.string(),
  promptctlVersion: z.string(),
  status: RunStatus,
  startedAt: z.string(),
  endedAt: z.string().optional(),
  summary: RunSummary.optional(),
});
export type RunRecord = z.infer<typeof RunRecord>;
