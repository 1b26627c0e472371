import type { PlannedSample } from '../../core/eval/plan.js';
import { declaredSchema } from '../../core/eval/request.js';
import { answerMeasures, type ScoreContext } from '../../core/scoring/context.js';
import { bounded } from '../bounded-regex.js';
import type { CachedResponse } from '../registry/types.js';

/** What scoring needs besides the answer: the run's checkers, built once per run. */
export type Checkers = Pick<ScoreContext, 'schemas' | 'judge' | 'classify' | 'leakDetectors'>;

/** How one planned sample's answer is scored: by the run (executor.ts) and by the fully cached check (all-cached.ts) alike. */
export function scoreContextOf(s: PlannedSample, answer: Pick<CachedResponse, 'output' | 'exchange' | 'latencyMs' | 'tokensOut'>, checkers: Checkers): ScoreContext {
  const { latencyMs, tokensOut } = answerMeasures(answer);
  // Built member by member, once per sample: spreads and Object.entries cost more than the checks of a simple case.
  const ctx: ScoreContext = { output: answer.output, latencyMs, tokensOut, systemPrompt: s.systemPrompt, canary: s.run.canary, leakMinChars: s.run.leakMinChars, bounded };
  if (answer.exchange) ctx.exchange = answer.exchange;
  if (s.params.tools) ctx.tools = s.params.tools;
  const schema = declaredSchema(s.params);
  if (schema !== undefined) ctx.responseSchema = schema;
  if (s.run.suiteKind === 'adversarial') ctx.adversarial = true;
  if (s.run.allowedPii !== undefined) ctx.allowedPii = s.run.allowedPii;
  if (checkers.schemas !== undefined) ctx.schemas = checkers.schemas;
  if (checkers.judge !== undefined) ctx.judge = checkers.judge;
  if (checkers.classify !== undefined) ctx.classify = checkers.classify;
  if (checkers.leakDetectors !== undefined) ctx.leakDetectors = checkers.leakDetectors;
  return ctx;
}
