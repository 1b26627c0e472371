import { describe, expect, it } from 'vitest';
import { classifyChange, comparisonRow, shownSample } from '../../src/core/compare.js';
import type { CaseOutcome } from '../../src/core/schemas/report.js';
import type { SampleResult, ToolCall } from '../../src/core/schemas/run.js';
import { formatComparison } from '../../src/render/compare.js';
import { sideOf } from '../../src/render/html/model.js';

/**
 * A case with several samples (`repeat` > 1) is compared on all of them: one shown sample per side
 * cannot speak for the rest, so a row is identical only when every sample pair (by index) gives the
 * same answer and the pass count held, and each side's pass count travels with the row.
 */

type S = [verdict: SampleResult['verdict'], output: string, calls?: ToolCall[]];

function outcome(samples: S[]): CaseOutcome {
  const passed = samples.filter(([v]) => v === 'pass').length;
  return {
    caseId: 'c',
    verdict: passed === samples.length ? 'pass' : 'fail',
    passRate: passed / samples.length,
    minPassRate: 1,
    samples: samples.map(([verdict, output, calls], sample) => ({
      runId: 'r', caseId: 'c', sample, verdict, output, reasons: verdict === 'fail' ? [{ expectation: 'contains', message: 'missing' }] : [],
      latencyMs: 1, tokensIn: 1, tokensOut: 1, cached: false, ...(calls ? { exchange: { toolCalls: calls } } : {}),
    })),
  } as CaseOutcome;
}

const call = (city: string): ToolCall[] => [{ name: 'get_weather', arguments: `{"city":"${city}"}` }];

describe('comparisonRow and classifyChange with several samples', () => {
  const cases: Array<{ name: string; a: S[]; b: S[]; kind: string; counts?: [string, string] }> = [
    {
      // The hunt's case: the shown samples (first failing) match, yet 2/3 became 0/3.
      name: 'a pass count that dropped, though the shown samples match',
      a: [['pass', 'good'], ['pass', 'good'], ['fail', 'bad']],
      b: [['fail', 'bad'], ['fail', 'bad'], ['fail', 'bad']],
      kind: 'same-verdict',
      counts: ['2/3', '0/3'],
    },
    { name: 'every sample pair the same', a: [['fail', 'x'], ['pass', 'y'], ['pass', 'z']], b: [['fail', 'x'], ['pass', 'y'], ['pass', 'z']], kind: 'identical', counts: ['2/3', '2/3'] },
    { name: 'another sample differs, same pass count', a: [['pass', 'x'], ['pass', 'y']], b: [['pass', 'x'], ['pass', 'other']], kind: 'same-verdict', counts: ['2/2', '2/2'] },
    { name: 'the same answers, another pass count (a latency limit)', a: [['pass', 'x'], ['pass', 'x']], b: [['pass', 'x'], ['fail', 'x']], kind: 'regression', counts: ['2/2', '1/2'] },
    { name: 'the same answers and verdict, another pass count', a: [['pass', 'x'], ['fail', 'x'], ['fail', 'x']], b: [['fail', 'x'], ['fail', 'x'], ['fail', 'x']], kind: 'same-verdict', counts: ['1/3', '0/3'] },
    { name: 'tool calls of a sample not shown differ', a: [['pass', '', call('Paris')], ['pass', '', call('Paris')]], b: [['pass', '', call('Paris')], ['pass', '', call('Rome')]], kind: 'same-verdict', counts: ['2/2', '2/2'] },
    { name: 'a sample one side lacks', a: [['pass', 'x'], ['pass', 'x']], b: [['pass', 'x']], kind: 'same-verdict', counts: ['2/2', '1/1'] },
    { name: 'one sample each, the same answer: no counts', a: [['pass', 'x']], b: [['pass', 'x']], kind: 'identical' },
    { name: 'one sample each, another answer: no counts', a: [['pass', 'x']], b: [['pass', 'y']], kind: 'same-verdict' },
  ];

  for (const t of cases) {
    it(t.name, () => {
      const row = comparisonRow('golden', 'c', outcome(t.a), outcome(t.b));
      expect(classifyChange(row)).toBe(t.kind);
      const shown = (x?: { passed: number; total: number }) => (x ? `${x.passed}/${x.total}` : undefined);
      expect([shown(row.samplesA), shown(row.samplesB)]).toEqual(t.counts ?? [undefined, undefined]);
    });
  }
});

describe('shownSample', () => {
  it('shows a passing case by its first answer, never by an errored sample (no output); the others as before', () => {
    const pep = { ...outcome([['pass', 'good'], ['pass', ''], ['pass', 'good']]), verdict: 'pass' as const };
    pep.samples[0]!.verdict = 'error';
    expect(shownSample(pep)?.sample).toBe(1);
    // A case that did not pass: its first failing sample, else its first error.
    const pfe = { ...outcome([['pass', 'good'], ['fail', 'bad'], ['pass', '']]), verdict: 'error' as const };
    expect(shownSample(pfe)?.sample).toBe(1);
    const ppe = { ...outcome([['pass', 'good'], ['pass', 'good'], ['pass', '']]), verdict: 'error' as const };
    ppe.samples[2]!.verdict = 'error';
    expect(shownSample(ppe)?.sample).toBe(2);
  });
});

describe('a side whose case passed shows a passing sample, in every format', () => {
  // 4 of 5 passed against 0.8: passed, its first sample the one that failed. 0 of 5 on the other side.
  const passed = { ...outcome([['fail', 'wrong answer'], ['pass', 'right answer'], ['pass', 'right answer'], ['pass', 'right answer'], ['pass', 'right answer']]), verdict: 'pass' as const, minPassRate: 0.8 };
  const failed = outcome([['fail', 'bad 0'], ['fail', 'bad 1'], ['fail', 'bad 2'], ['fail', 'bad 3'], ['fail', 'bad 4']]);

  it('shownSample: the first passing sample of a passed case, never its failing one', () => {
    expect(shownSample(passed)?.sample).toBe(1);
    // A passed case none of whose samples passed (min_pass_rate 0): its first answer.
    expect(shownSample({ ...failed, verdict: 'pass', minPassRate: 0 })?.sample).toBe(0);
  });

  it('compare in the terminal: the passed side shows its passing answer, the failed side its failure and why', () => {
    const row = comparisonRow('golden', 'c2', passed, failed);
    expect([row.outputA, row.reasonsA, row.outputB, row.reasonsB]).toEqual(['right answer', undefined, 'bad 0', [{ expectation: 'contains', message: 'missing' }]]);
    const text = formatComparison({ promptId: 'q', a: '1.0.0', b: '1.1.0', rows: [row] }, { color: false, width: 80 });
    const block = text.split('\n');
    expect(block.slice(block.indexOf('REGRESSION golden/c2  PASS 4/5 → FAIL 0/5'), -1)).toEqual([
      'REGRESSION golden/c2  PASS 4/5 → FAIL 0/5',
      '  1.0.0                                 │ 1.1.0',
      '  right answer                          │ bad 0',
      '                                        │ ✗ contains: missing',
    ]);
  });

  it('the HTML report shows the same sample, and says which', () => {
    expect(sideOf(passed)).toMatchObject({ output: 'right answer', shownFrom: 'first passing sample, #1' });
    expect(sideOf(failed)).toMatchObject({ output: 'bad 0', shownFrom: 'first failing sample, #0' });
  });
});
