import { describe, expect, it } from 'vitest';
import { gradedAsNow, gradingOf, judgeChange, judgesOf, type Judges } from '../../src/core/eval/grading.js';
import type { Expectation } from '../../src/core/schemas/evalset.js';
import type { Grading } from '../../src/core/schemas/run.js';

/** How a run is graded where a model grades it, and whether a recorded run was graded as the config grades now. */

const patterns: Judges = judgesOf({ server: { model: 'sim-model' } });
const judged: Judges = judgesOf({ server: { model: 'sim-model', judge_model: 'grader' } });

describe('judgesOf', () => {
  it('grades rubrics with judge_model, else the server model; refusal and compliance only with judge_model', () => {
    expect(patterns).toEqual({ rubric: 'sim-model' });
    expect(judged).toEqual({ rubric: 'grader', safety: 'grader' });
  });
});

describe('gradingOf', () => {
  const rubric: Expectation = { judge: { rubric: 'polite', min_score: 0.7 } };
  const ownModel: Expectation = { judge: { rubric: 'polite', min_score: 0.7, model: 'own' } };
  it.each<[string, Expectation[], Judges, Grading | undefined]>([
    ['no judge at all', [{ icontains: 'x' }, { 'no-leak': true }], judged, undefined],
    ['a rubric naming its own model (the suite file holds it)', [ownModel], judged, undefined],
    ['a rubric', [rubric], patterns, { rubric: 'sim-model' }],
    ['refusal by patterns', [{ refusal: true }], patterns, { safety: null }],
    ['no-compliance by the judge model', [{ 'no-compliance': 'do it' }], judged, { safety: 'grader' }],
    ['both', [rubric, { refusal: false }], judged, { rubric: 'grader', safety: 'grader' }],
  ])('%s', (_, expectations, judges, grading) => {
    expect(gradingOf(expectations, judges)).toEqual(grading);
  });
});

describe('gradedAsNow', () => {
  it.each<[string, Grading | undefined, Judges, boolean]>([
    ['recorded before runs recorded their grading: counts', undefined, judged, true],
    ['a suite without a judge: any judge change', {}, judged, true],
    ['refusal by patterns, patterns now', { safety: null }, patterns, true],
    ['refusal by patterns, a judge model now', { safety: null }, judged, false],
    ['refusal by a judge model, patterns now', { safety: 'grader' }, patterns, false],
    ['refusal by another judge model', { safety: 'old' }, judged, false],
    ['a rubric by the server model, judge_model set since', { rubric: 'sim-model' }, judged, false],
    ['a rubric by the judge model, still it', { rubric: 'grader' }, judged, true],
    ['a rubric by the server model, unchanged', { rubric: 'sim-model' }, patterns, true],
  ])('%s', (_, recorded, judges, counts) => {
    expect(gradedAsNow(recorded, judges)).toBe(counts);
  });
});

describe('judgeChange', () => {
  it.each<[string, Grading | undefined, Judges, ReturnType<typeof judgeChange>]>([
    ['graded as now: none', { safety: null }, patterns, undefined],
    ['recorded nothing: none', undefined, judged, undefined],
    ['refusal by patterns, a judge model now: only the graders it recorded', { safety: null }, judged, { was: { safety: null }, now: { safety: 'grader' } }],
    ['a rubric by the judge model, judge_model taken out', { rubric: 'grader', safety: 'grader' }, patterns, { was: { rubric: 'grader', safety: 'grader' }, now: { rubric: 'sim-model', safety: null } }],
  ])('%s', (_, recorded, judges, change) => {
    expect(judgeChange(recorded, judges)).toEqual(change);
  });
});
