import type { Expectation } from '../schemas/evalset.js';
import type { ToolDefinition } from '../schemas/request.js';
import type { SampleResult } from '../schemas/run.js';
import { withCutOffNote } from './cut-off.js';
import { expectationKind } from './check-expectation.js';
import type { Bounded } from '../expectation-regex.js';
import { answerMeasures } from './context.js';
import type { JsonSchema, SchemaEngine } from './json-schema.js';
import { deterministicChecks } from './score.js';

/**
 * A stored sample judged again by the current scorer, from what the run recorded (its output, tool
 * calls and earlier turns, tokens and latency): how two runs scored by different scorer versions
 * are compared on one scorer (core/scoring/version.ts). Nothing is sent and nothing is written.
 *
 * Replayed: every check that needs only the recorded answer, and `refusal` and `no-compliance`
 * where no judge model grades them (then the current patterns are the scorer: a baseline graded by
 * older patterns would read a stricter pattern as the candidate's regression). Kept as recorded:
 * `judge` (the judge model's grade), `no-leak` (it needs the rendered system prompt and the canary,
 * which a sample does not store), and `refusal`/`no-compliance` where a judge model grades them.
 * `no-leak` changed at v3 (tool-call arguments) and v4 (the canary's random part, hex): a
 * re-scored baseline's leaks there are not found again, so it can only look better than it was,
 * never hide a regression of the candidate. At v11 it stopped counting quotes of a variable's value:
 * a baseline recorded before keeps such leaks, and looks worse than the current scorer would say.
 * Errors stay errors: they are not answers.
 */

const ALWAYS_KEPT: readonly string[] = ['judge', 'no-leak'];
const JUDGED_SAFETY: readonly string[] = ['refusal', 'no-compliance'];

export interface RescoreContext {
  /** The tools the version declares: every call's arguments are checked against them. */
  tools?: ToolDefinition[];
  /** The JSON schema the version declares (ScoreContext.responseSchema). */
  responseSchema?: JsonSchema;
  schemas: () => SchemaEngine;
  /** As ScoreContext.bounded. */
  bounded?: Bounded;
  /** A judge model grades refusal and no-compliance (`server.judge_model`). */
  safetyJudge?: boolean;
  /** The run is of an adversarial suite (ScoreContext.adversarial). */
  adversarial?: boolean;
  /** As ScoreContext.allowedPii: the suite's `allowed_pii` keys. */
  allowedPii?: readonly string[];
}

/**
 * `expectations`: the case's, as planned (matches-response-format resolved to the version's schema).
 * A sample that failed before a judge graded it (judges run only when every other check passed)
 * keeps its recorded verdict when the replayed checks pass: what the judge would say is unknown.
 */
export function rescoreSample(sample: SampleResult, expectations: Expectation[], ctx: RescoreContext): SampleResult {
  if (sample.verdict === 'error') return sample;
  const keptKinds = ctx.safetyJudge ? [...ALWAYS_KEPT, ...JUDGED_SAFETY] : ALWAYS_KEPT;
  const kept = sample.reasons.filter((r) => keptKinds.includes(r.expectation));
  const replayed = deterministicChecks(
    expectations.filter((e) => !keptKinds.includes(expectationKind(e))),
    {
      output: sample.output,
      ...(sample.exchange ? { exchange: sample.exchange } : {}),
      ...(ctx.tools ? { tools: ctx.tools } : {}),
      ...(ctx.responseSchema !== undefined ? { responseSchema: ctx.responseSchema } : {}),
      ...answerMeasures(sample),
      // Unused: the checks that read them (no-leak) are kept as recorded.
      systemPrompt: '',
      leakMinChars: Number.POSITIVE_INFINITY,
      schemas: ctx.schemas,
      ...(ctx.bounded ? { bounded: ctx.bounded } : {}),
      ...(ctx.adversarial ? { adversarial: true } : {}),
      ...(ctx.allowedPii ? { allowedPii: ctx.allowedPii } : {}),
    },
  ).reasons;
  const reasons = withCutOffNote([...replayed, ...kept], sample.exchange);
  if (!reasons.length && sample.verdict === 'fail' && expectations.some((e) => judged(e, ctx))) return sample;
  return { ...sample, verdict: reasons.length ? 'fail' : 'pass', reasons };
}

/** A check the judge model grades: a failed sample never got to it, so its grade is unknown. */
function judged(e: Expectation, ctx: RescoreContext): boolean {
  return e.judge !== undefined || (Boolean(ctx.safetyJudge) && (e.refusal !== undefined || e['no-compliance'] !== undefined));
}
