import { describe, expect, it } from 'vitest';
import { pairByCase } from '../../../src/core/stats/pairing.js';
import { pairCounts } from '../../../src/core/stats/regression-verdict.js';

describe('pairing by case id', () => {
  it('pairs the cases both sides ran, whatever their order, and names the rest', () => {
    const r = pairByCase(
      [
        { caseId: 'hours', result: true },
        { caseId: 'refund', result: true },
        { caseId: 'gone', result: false },
      ],
      [
        { caseId: 'refund', result: false },
        { caseId: 'new', result: true },
        { caseId: 'hours', result: true },
      ],
    );
    expect(r.pairs).toEqual([
      { caseId: 'hours', baseline: true, candidate: true },
      { caseId: 'refund', baseline: true, candidate: false },
    ]);
    expect(r.onlyBaseline).toEqual(['gone']);
    expect(r.onlyCandidate).toEqual(['new']);
    expect(pairCounts(r.pairs)).toEqual({ cases: 2, worse: 1, better: 0 });
  });

  it('refuses a case id twice on one side', () => {
    const twice = [
      { caseId: 'a', result: 1 },
      { caseId: 'a', result: 2 },
    ];
    expect(() => pairByCase(twice, [])).toThrow(/twice in the baseline/);
    expect(() => pairByCase([], twice)).toThrow(/twice in the candidate/);
  });
});
