import { describe, expect, it } from 'vitest';
import { editedRunClaim } from '../../src/core/marked-run-claims.js';

/** What a tested mark records of its run, held to the run's stored summary alike: pass rate, settings, grading. */
describe('editedRunClaim', () => {
  const mark = { passRate: 1, settings: 'k1', grading: { safety: null } };
  it.each<[string, Record<string, unknown>, Record<string, unknown>, ReturnType<typeof editedRunClaim>]>([
    ['the summary says what the mark recorded', mark, { ...mark }, undefined],
    ['keys in another order are the same grading', { grading: { rubric: 'a', safety: 'b' } }, { grading: { safety: 'b', rubric: 'a' } }, undefined],
    ['a mark from before settings and grading were recorded: not compared', { passRate: 1 }, { passRate: 1, settings: 'other', grading: { rubric: 'x' } }, undefined],
    ['the pass rate edited', mark, { ...mark, passRate: 0.5 }, { claim: 'passRate', stored: '0.5', recorded: '1' }],
    ['the settings edited', mark, { ...mark, settings: 'k2' }, { claim: 'settings', stored: '"k2"', recorded: '"k1"' }],
    ['the settings removed', mark, { passRate: 1, grading: { safety: null } }, { claim: 'settings', stored: 'null', recorded: '"k1"' }],
    ['the grading edited', mark, { ...mark, grading: { safety: 'judge' } }, { claim: 'grading', stored: '{"safety":"judge"}', recorded: '{"safety":null}' }],
  ])('%s', (_, recorded, stored, edited) => {
    expect(editedRunClaim(recorded, stored)).toEqual(edited);
  });
});
