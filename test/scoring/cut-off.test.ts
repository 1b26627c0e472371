import { describe, expect, it } from 'vitest';
import { CUT_OFF_NOTE, withCutOffNote } from '../../src/core/scoring/cut-off.js';
import type { FailureReason, SampleExchange } from '../../src/core/schemas/run.js';

const failed: FailureReason = { expectation: 'json-schema', message: 'output is not valid JSON' };
const note = (reasons: FailureReason[]) => reasons.filter((r) => r.expectation === CUT_OFF_NOTE).length;

describe('withCutOffNote: a failed answer the server cut at its token limit says so, once, last', () => {
  const rows: Array<{ name: string; reasons: FailureReason[]; exchange?: SampleExchange; kinds: string[] }> = [
    { name: 'a passing cut answer gets no reason (its verdict stays a pass)', reasons: [], exchange: { truncated: true }, kinds: [] },
    { name: 'a failed cut answer gets the note after its reasons', reasons: [failed], exchange: { truncated: true }, kinds: ['json-schema', CUT_OFF_NOTE] },
    { name: 'a failed answer that ended on its own gets none', reasons: [failed], exchange: { toolCalls: [] }, kinds: ['json-schema'] },
    { name: 'no exchange recorded: none', reasons: [failed], kinds: ['json-schema'] },
    { name: 're-scored with the note already kept: still one, still last', reasons: [{ expectation: CUT_OFF_NOTE, message: 'old' }, failed], exchange: { truncated: true }, kinds: ['json-schema', CUT_OFF_NOTE] },
    { name: 'a note alone is no failure: re-scored to a pass, it goes', reasons: [{ expectation: CUT_OFF_NOTE, message: 'old' }], exchange: { truncated: true }, kinds: [] },
  ];
  it.each(rows)('$name', ({ reasons, exchange, kinds }) => {
    const out = withCutOffNote(reasons, exchange);
    expect(out.map((r) => r.expectation)).toEqual(kinds);
    expect(note(out)).toBeLessThanOrEqual(1);
    if (kinds.includes(CUT_OFF_NOTE)) expect(out.at(-1)!.message).toContain('finish_reason "length"');
  });
});
