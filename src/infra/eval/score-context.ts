import type { PlannedSample } from '../../core/eval/plan.js';
import { answerMeasures, type ScoreContext } from '../../core/scoring/context.js';
import { bounded } from '../bounded-regex.js';
import type { CachedResponse } from '../registry/types.js';

/** What scoring needs besides the answer: the run's checkers, built once per run. */
export type Checkers = Pick<ScoreContext, 'schemas' | 'judge' | 'classify' | 'leakDetectors'>;

/** How one planned sample's answer is scored: by the run (executor.ts) and by the fully cached check (all-cached.ts) alike. */
export function scoreContextOf(s: PlannedSample, answer: Pick<CachedResponse, 'output' | 'exchange' | 'latencyMs' | 'tokensOut'>, checkers: Checkers): ScoreContext {
  const ctx: ScoreContext = {
    output: answer.output,
    ...(answer.exchange ? { exchange: answer.exchange } : {}),
    ...(s.params.tools ? { tools: s.params.tools } : {}),
    ...answerMeasures(answer),
    systemPrompt: s.systemPrompt,
    canary: s.run.canary,
    ...(s.run.suiteKind === 'adversarial' ? { adversarial: true } : {}),
    leakMinChars: s.run.leakMinChars,
    bounded,
  };
  for (const [k, v] of Object.entries(checkers)) if (v !== undefined) Object.assign(ctx, { [k]: v });
  return ctx;
}
