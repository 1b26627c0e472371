import type { FailureReason, SampleExchange } from '../schemas/run.js';

/** The note's `expectation`: the server's own word for why an answer ended. */
export const CUT_OFF_NOTE = 'finish_reason';

/**
 * A failed answer the server stopped at its token limit (finish_reason "length") says so after its
 * reasons: a JSON answer cut mid-object or a missing closing sentence is the limit's doing, not the
 * prompt's, and reads alike otherwise. Only a failure gets it (the verdict stays the checks'); a
 * passing answer that was cut is counted in the run's warnings instead (app/eval-cut-off.ts).
 */
export function withCutOffNote(reasons: FailureReason[], exchange: SampleExchange | undefined): FailureReason[] {
  const checked = reasons.filter((r) => r.expectation !== CUT_OFF_NOTE);
  if (!checked.length || !exchange?.truncated) return checked;
  return [...checked, { expectation: CUT_OFF_NOTE, message: 'the server stopped this answer at its token limit (finish_reason "length"), so it may be cut short: raise `max_tokens` in the version\'s params if answers need more room' }];
}
