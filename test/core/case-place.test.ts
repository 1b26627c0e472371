import { describe, expect, it } from 'vitest';
import { casePlacer } from '../../src/core/eval/case-place.js';
import { planRun } from '../../src/core/eval/plan.js';
import { EvalSet } from '../../src/core/schemas/evalset.js';
import { PromptVersion } from '../../src/core/schemas/prompt.js';

/**
 * eval places a case it cannot render where lint does: an inline case at `cases.<i>` of the suite,
 * a `cases_from` row at its line of the data file with the column at fault. It pointed at the
 * suite's `cases_from:` line with a case index for a bad CSV cell.
 */

// The column tells whether a place inside the text at the path was asked for (`at`: a placeholder's offset).
const locate = (path: ReadonlyArray<string | number>, at?: number) => ({ line: 10 + Number(path[1] ?? 0), col: at === undefined ? 3 : 100 + at });
const data = EvalSet.parse({ prompt: 'p', kind: 'golden', cases_from: { file: 'data/d.csv', vars: { n: 'count' } }, cases: [{ id: 'inline', vars: { n: 1 }, expect: [{ contains: 'x' }] }] });
const source = { file: 'evalsets/p/g.yaml', data, locate, dataset: { file: 'data/d.csv', firstCase: 1, lines: [2, 3, 7] } };

describe('casePlacer', () => {
  it.each<{ name: string; kept?: number[]; index: number; at: { turn?: number; offset?: number; variable?: string }; want: string }>([
    { name: 'an inline case: its vars in the suite', index: 0, at: { variable: 'n' }, want: 'evalsets/p/g.yaml:10:3 cases.0.vars' },
    { name: 'an inline turn', index: 0, at: { turn: 1 }, want: 'evalsets/p/g.yaml:10:3 cases.0.messages.1.content' },
    { name: "an inline turn's placeholder: its offset in the turn's text", index: 0, at: { turn: 1, offset: 7 }, want: 'evalsets/p/g.yaml:10:107 cases.0.messages.1.content' },
    { name: 'a dataset row: its line and the column the variable is read from', index: 2, at: { variable: 'n' }, want: 'data/d.csv:3:1 count' },
    { name: 'a variable of its own name', index: 3, at: { variable: 'q' }, want: 'data/d.csv:7:1 q' },
    { name: 'a subset (--filter-failing): the planned index maps back to the row', kept: [3], index: 0, at: { variable: 'n' }, want: 'data/d.csv:7:1 count' },
  ])('$name', ({ kept, index, at, want }) => {
    const p = casePlacer(source, kept)(index, at);
    expect(`${p.file}:${p.line}:${p.col} ${p.field}`).toBe(want);
  });

  it('planRun reports a dataset row\'s bad value at the row', () => {
    const version = { id: 'p', version: '1.0.0', file: 'prompts/p/1.0.0.yaml', hash: 'h', data: PromptVersion.parse({ id: 'p', version: '1.0.0', description: 'd', author: 'a', variables: [{ name: 'n', type: 'number' }], messages: [{ role: 'user', content: '{{n}}' }] }) };
    const cases = [...data.cases, { id: 'r1', vars: { n: 3 }, expect: [{ contains: 'x' }] }, { id: 'r2', vars: { n: 'three' }, expect: [{ contains: 'x' }] }];
    const suite = { name: 'g', file: source.file, hash: 's', data: { ...data, cases }, generated: [], placeCase: casePlacer(source) };
    const { problems } = planRun({ version, suite, params: { model: 'm', temperature: 0, max_tokens: 64 }, judges: { rubric: 'm' } }, locate);
    expect(problems.map((p) => `${p.file}:${p.line} ${p.field}: ${p.message}`)).toEqual(['data/d.csv:3 count: case "r2" against p@1.0.0: "n" must be a number, got "three"']);
  });
});
