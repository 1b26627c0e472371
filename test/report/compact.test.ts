import { describe, expect, it } from 'vitest';
import { CHUNK_CASES, chunksOf, decodeCase, decodeReportData, encodeCases } from '../../src/render/html/compact.js';
import { jsonForScript } from '../../src/render/html/escape.js';
import type { ReportCase } from '../../src/render/html/types.js';
import { HOSTILE } from './fixtures.js';

const side = (over: Partial<ReportCase['a']> = {}): ReportCase['a'] => ({ verdict: 'pass', passRate: 1, minPassRate: 1, output: 'ok', reasons: [], latencyMs: 12, tokensOut: 3, ...over });

const cases: ReportCase[] = [
  { run: 0, suite: 'golden', caseId: 'a', expectations: ['icontains "30 days"'], a: side() },
  {
    run: 0, suite: 'golden', caseId: 'b', category: 'leak', inputs: [{ name: 'question', value: HOSTILE }], expectations: ['icontains "30 days"'],
    a: side({ verdict: 'fail', passRate: 0.333, passRateCi: '20.7–93.9%', output: HOSTILE, latencyMs: null, error: 'x', reasons: [{ expectation: 'icontains', message: '12', count: 2, expected: '30 days' }],
      samples: [{ sample: 0, verdict: 'fail', output: HOSTILE, latencyMs: 1.5, tokensOut: 0, leaks: ['canary', '42'] }] }),
  },
  { run: 1, suite: 'golden', caseId: '7', expectations: [], a: side({ output: '' }), b: side({ verdict: 'error', passRate: 0 }), change: 'regression' },
];

describe('compact case embedding', () => {
  it('decodes, through the JSON the page reads, to what JSON of the cases would be: strings that look like numbers, nulls, optional fields, hostile text', () => {
    const chunk = JSON.parse(jsonForScript(encodeCases(cases)));
    const decoded = cases.map((_, i) => decodeCase(chunk, i));
    expect(decoded).toEqual(JSON.parse(JSON.stringify(cases)));
    expect(Object.keys(decoded[0]!)).toEqual(Object.keys(cases[0]!));
  });

  it('writes each repeated string once per chunk', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ ...cases[1]!, caseId: `c${i}` }));
    const chunk = encodeCases(many);
    expect(chunk.s.filter((s) => s === HOSTILE)).toHaveLength(1);
    expect(chunk.k.length).toBeLessThan(10);
  });

  it('cuts chunks at run boundaries and every CHUNK_CASES cases, in order', () => {
    const list = [...Array.from({ length: CHUNK_CASES + 1 }, (_, i) => ({ ...cases[0]!, caseId: `x${i}` })), { ...cases[0]!, run: 1 }];
    expect(chunksOf(list).map((c) => c.length)).toEqual([CHUNK_CASES, 1, 1]);
    const data = decodeReportData({ cases: chunksOf(list).map(encodeCases) } as never);
    expect(data.cases.map((c) => c.caseId)).toEqual(list.map((c) => c.caseId));
  });
});
