import { describe, expect, it } from 'vitest';
import { suitesNotCovered, suitesSinceMark, type UncoveredSuite } from '../../src/core/gate-tested.js';
import type { Judges } from '../../src/core/eval/grading.js';
import type { Grading } from '../../src/core/schemas/run.js';

/** Which suites that apply now a mark's runs did not run at their current content. */

const patterns: Judges = { rubric: 'm' };
const judged: Judges = { rubric: 'j', safety: 'j' };

const rows: Array<{ name: string; marked: Array<{ suite: string; suiteHash?: string; settings?: string; grading?: Grading }>; applicable: Array<{ name: string; hash: string }>; settings?: string; judges?: Judges; stale: UncoveredSuite[] }> = [
  { name: 'every suite run at its current content', marked: [{ suite: 'a', suiteHash: 'h1' }, { suite: 'b', suiteHash: 'h2' }], applicable: [{ name: 'a', hash: 'h1' }, { name: 'b', hash: 'h2' }], stale: [] },
  { name: 'a suite changed since', marked: [{ suite: 'a', suiteHash: 'h1' }], applicable: [{ name: 'a', hash: 'h9' }], stale: [{ suite: 'a', why: 'changed' }] },
  { name: 'a suite added since', marked: [{ suite: 'a', suiteHash: 'h1' }], applicable: [{ name: 'a', hash: 'h1' }, { name: 'new', hash: 'h3' }], stale: [{ suite: 'new', why: 'added' }] },
  { name: 'a marked suite that no longer applies (removed, or its range moved) is no reason', marked: [{ suite: 'a', suiteHash: 'h1' }, { suite: 'gone', suiteHash: 'h2' }], applicable: [{ name: 'a', hash: 'h1' }], stale: [] },
  { name: 'unknown content is taken as covering, never claimed as changed', marked: [{ suite: 'a' }], applicable: [{ name: 'a', hash: 'h1' }], stale: [] },
  { name: 'no suite applies: nothing to be stale', marked: [{ suite: 'a', suiteHash: 'h1' }], applicable: [], stale: [] },
  { name: 'run with other request settings', marked: [{ suite: 'a', suiteHash: 'h1', settings: 's1' }], applicable: [{ name: 'a', hash: 'h1' }], settings: 's2', stale: [{ suite: 'a', why: 'settings' }] },
  { name: 'the same settings', marked: [{ suite: 'a', suiteHash: 'h1', settings: 's1' }], applicable: [{ name: 'a', hash: 'h1' }], settings: 's1', stale: [] },
  { name: 'changed content is named before other settings', marked: [{ suite: 'a', suiteHash: 'h1', settings: 's1' }], applicable: [{ name: 'a', hash: 'h9' }], settings: 's2', stale: [{ suite: 'a', why: 'changed' }] },
  { name: 'settings unknown on either side are taken as the same', marked: [{ suite: 'a', suiteHash: 'h1' }, { suite: 'b', suiteHash: 'h2', settings: 's1' }], applicable: [{ name: 'a', hash: 'h1' }, { name: 'b', hash: 'h2' }], stale: [] },
  { name: 'graded by a judge model, patterns now', marked: [{ suite: 'a', suiteHash: 'h1', grading: { safety: 'j' } }], applicable: [{ name: 'a', hash: 'h1' }], judges: patterns, stale: [{ suite: 'a', why: 'grading' }] },
  { name: 'graded as now', marked: [{ suite: 'a', suiteHash: 'h1', grading: { safety: 'j' } }], applicable: [{ name: 'a', hash: 'h1' }], judges: judged, stale: [] },
  { name: 'a suite without a judge, or from before marks recorded grading, is untouched by a judge change', marked: [{ suite: 'a', suiteHash: 'h1' }], applicable: [{ name: 'a', hash: 'h1' }], judges: judged, stale: [] },
  { name: 'other settings are named before other grading', marked: [{ suite: 'a', suiteHash: 'h1', settings: 's1', grading: { rubric: 'm' } }], applicable: [{ name: 'a', hash: 'h1' }], settings: 's2', judges: judged, stale: [{ suite: 'a', why: 'settings' }] },
  { name: 'in the order the suites apply', marked: [{ suite: 'b', suiteHash: 'x' }], applicable: [{ name: 'a', hash: 'h1' }, { name: 'b', hash: 'h2' }], stale: [{ suite: 'a', why: 'added' }, { suite: 'b', why: 'changed' }] },
];

describe('suitesSinceMark', () => {
  it.each(rows)('$name', ({ marked, applicable, settings, judges, stale }) => {
    expect(suitesSinceMark(marked, applicable, settings, judges)).toEqual(stale);
  });
});

describe('suitesNotCovered', () => {
  const marked = [{ suite: 'a', suiteHash: 'h1', settings: 's1' }];
  it.each([
    ['a passing counting run covers, whatever the mark says (a suite put back, settings restored)', [{ name: 'a', hash: 'h9', counting: 'passed' as const }], 's2', []],
    ['a failing counting run is failed', [{ name: 'a', hash: 'h1', counting: 'failed' as const }], 's1', [{ suite: 'a', why: 'failed' }]],
    ['no counting run: said as what changed since the mark', [{ name: 'a', hash: 'h9' }], 's1', [{ suite: 'a', why: 'changed' }]],
    ['no counting run, other settings', [{ name: 'a', hash: 'h1' }], 's2', [{ suite: 'a', why: 'settings' }]],
    ['no counting run and nothing changed: its run is gone', [{ name: 'a', hash: 'h1' }], 's1', [{ suite: 'a', why: 'no-run' }]],
  ])('%s', (_, applicable, settings, stale) => {
    expect(suitesNotCovered(marked, applicable, settings)).toEqual(stale);
  });

  it('no counting run graded as now: the mark was graded otherwise', () => {
    expect(suitesNotCovered([{ suite: 'a', suiteHash: 'h1', grading: { safety: 'j' } }], [{ name: 'a', hash: 'h1' }], undefined, patterns)).toEqual([{ suite: 'a', why: 'grading' }]);
  });
});
