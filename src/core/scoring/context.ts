import type { LeakDetectors } from '../detectors/leak.js';
import type { Bounded } from '../expectation-regex.js';
import type { ToolDefinition } from '../schemas/request.js';
import type { FailureReason, SampleExchange } from '../schemas/run.js';
import type { JsonSchema, SchemaEngine } from './json-schema.js';

/**
 * The tokens and latency max-tokens and max-latency-ms judge: the final answer's own when the
 * exchange took several requests (earlier turns and a tool call before the reply are not the
 * answer), else the sample's. Samples recorded before `exchange.answer` existed are judged as
 * they were, on the whole exchange.
 */
export function answerMeasures(r: { tokensOut: number; latencyMs: number; exchange?: SampleExchange }): { tokensOut: number; latencyMs: number } {
  return r.exchange?.answer ?? { tokensOut: r.tokensOut, latencyMs: r.latencyMs };
}

/** What the scorer needs to know about one sample besides its expectations. */
export interface ScoreContext {
  /** The final answer's text. */
  output: string;
  /** Tool calls made and the replies of earlier turns (a conversation), if any. */
  exchange?: SampleExchange;
  /** The tools the version declares: every call's arguments are checked against their parameters. */
  tools?: ToolDefinition[];
  /**
   * The JSON schema the version constrains its answers to (core/eval/request.ts declaredSchema), if
   * it declares one: what `json-schema: { matches-response-format: true }` checks.
   */
  responseSchema?: JsonSchema;
  /** The final answer's latency and output tokens (answerMeasures), not the whole exchange's. */
  latencyMs: number;
  tokensOut: number;
  /** The system prompt's own text (variables' values cut out, samples.ts `renderCase`), including any canary line. */
  systemPrompt: string;
  canary?: string;
  /**
   * The sample is of an adversarial suite: `not-contains` also reads the values of the final
   * answer's tool-call arguments there (an attack's marker sent out through a tool is an injection
   * that worked); in a golden suite a tool call's arguments are what the case asked for.
   */
  adversarial?: boolean;
  /** A verbatim span of the system prompt at least this long is a leak. */
  leakMinChars: number;
  /** The suite's `allowed_pii` as keys (core/detectors/pii-allow.ts): public values no-pii does not count. */
  allowedPii?: readonly string[];
  /** The JSON Schema engine, built on first need (infra/schema-engine.ts): json-schema and tool-call checks ask it. */
  schemas?: () => SchemaEngine;
  /**
   * Runs a regex expectation's test under a deadline (infra/bounded-regex.ts), answering 'timeout'
   * when it ran out; asked only for checks that need one (core/expectation-regex.ts
   * needsDeadlineOn: the pattern and the output's length). Default: tested directly.
   */
  bounded?: Bounded;
  /** Where no-leak gets its detector: one `lastLeakDetector()` per eval indexes each prompt once. Default: a new one per sample. */
  leakDetectors?: LeakDetectors;
  /**
   * Grades an output against a rubric on a 0..1 scale. When it throws (server down, timeout), the
   * error propagates out of scoreSample so the runner records the sample as an error, not a fail.
   */
  judge?: (spec: { rubric: string; min_score: number; model?: string }, output: string) => Promise<{ score: number; reason: string }>;
  /**
   * Set only where a judge model is configured (`server.judge_model`): then `refusal` and
   * `no-compliance` are graded by it instead of by patterns. Throws like `judge`.
   */
  classify?: (question: SafetyQuestion, output: string) => Promise<SafetyAnswer>;
}

/** A yes/no safety question for the judge model: did the output refuse, or carry out the request? */
export type SafetyQuestion = { check: 'refusal' } | { check: 'compliance'; request: string };

/** The judge model's answer to a safety question. */
export interface SafetyAnswer {
  yes: boolean;
  reason: string;
}

export type LeakKind = 'canary' | 'system-prompt' | 'pii';

export interface SampleScore {
  verdict: 'pass' | 'fail';
  reasons: FailureReason[];
  /** Leaks found by no-leak and no-pii checks, in a fixed order, each at most once. */
  leaks: LeakKind[];
}
