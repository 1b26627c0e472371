import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/core/schemas/report.js';
import { latencyLines } from '../../src/render/eval-text.js';
import { toMarkdownSummary } from '../../src/render/markdown.js';
import { fixtureReport } from './fixtures.js';

/**
 * The line of an interleaved latency measurement: the rise is the difference of the two p95s shown,
 * and no number beside the limit contradicts the verdict (a bound of 200.3 ms over a 200 ms limit is
 * not "at least +200 ms … BLOCKS").
 */

type Judgement = { outcome: 'pass' | 'regression' | 'inconclusive'; candidateP95: number; baselineP95: number; rise: number; lowerBound: number };

function line(j: Judgement, limit = 200, requests = 40): string {
  const report = {
    latency: [
      {
        promptId: 'faq',
        version: '1.1.0',
        suite: 'golden',
        env: 'staging',
        baselineVersion: '1.0.0',
        limit,
        judgement: { ...j, confidence: 0.95, requests: { candidate: requests, baseline: requests } },
      },
    ],
  } as unknown as EvalReport;
  return latencyLines(report)[1]!;
}

describe('latencyLines', () => {
  it.each([
    {
      name: 'a fall: the rise shown is 103 − 105',
      j: { outcome: 'pass' as const, candidateP95: 103.4, baselineP95: 104.6, rise: -1.2, lowerBound: -40.3 },
      text: 'p95 103 ms vs 105 ms, −2 ms (at least −41 ms at 95%; limit +200 ms; 40 + 40 requests): pass',
    },
    {
      name: 'a regression whose bound is 200.3 ms over a 200 ms limit says so',
      j: { outcome: 'regression' as const, candidateP95: 520.2, baselineP95: 300.1, rise: 220.1, lowerBound: 200.3 },
      text: 'p95 520 ms vs 300 ms, +220 ms (at least +200.3 ms at 95%; limit +200 ms; 40 + 40 requests): BLOCKS',
    },
    {
      name: 'a rise of 200.4 ms over a 200 ms limit is shown beyond it',
      j: { outcome: 'inconclusive' as const, candidateP95: 400.6, baselineP95: 200.2, rise: 200.4, lowerBound: 150.2 },
      text: 'p95 401 ms vs 200 ms, +201 ms (at least +150 ms at 95%; limit +200 ms; 40 + 40 requests): inconclusive',
    },
    {
      name: 'a rise at the limit passes, shown at it',
      j: { outcome: 'pass' as const, candidateP95: 300, baselineP95: 100, rise: 200, lowerBound: 160.7 },
      text: 'p95 300 ms vs 100 ms, +200 ms (at least +160 ms at 95%; limit +200 ms; 40 + 40 requests): pass',
    },
  ])('$name', ({ j, text }) => {
    expect(line(j)).toBe(`  faq@1.1.0 golden vs staging@1.0.0: ${text}`);
  });

  it('says "not enough requests" where too few give no bound (it was "at least – ms")', () => {
    const j = { outcome: 'inconclusive' as const, candidateP95: 320, baselineP95: 100, rise: 220, lowerBound: 0 };
    expect(line(j, 200, 10)).toBe('  faq@1.1.0 golden vs staging@1.0.0: p95 320 ms vs 100 ms, +220 ms (no lower bound: not enough requests; limit +200 ms; 10 + 10 requests): inconclusive');
  });
});

describe('the Markdown summary of a measured run', () => {
  it('has the measurement and its verdict, in the numbers of the line', () => {
    const report = fixtureReport();
    report.latency = [
      {
        promptId: 'faq',
        version: '1.1.0',
        suite: 'golden',
        env: 'staging',
        baselineVersion: '1.0.0',
        limit: 200,
        judgement: { outcome: 'regression', candidateP95: 520.2, baselineP95: 300.1, rise: 220.1, lowerBound: 200.3, confidence: 0.95, requests: { candidate: 40, baseline: 40 } },
      },
    ] as unknown as NonNullable<EvalReport['latency']>;
    const text = toMarkdownSummary(report);
    expect(text).toContain('### Latency, measured interleaved (cache bypassed)');
    expect(text).toContain('| `faq@1.1.0` | `golden` | `staging@1.0.0` | 520 ms vs 300 ms | +220 ms | +200.3 ms (95%) | +200 ms | 40 + 40 | ❌ blocks |');
  });

  it('says "not enough requests" where too few give no bound (it was "– ms (95%)")', () => {
    const report = fixtureReport();
    report.latency = [
      { promptId: 'faq', version: '1.1.0', suite: 'golden', env: 'staging', baselineVersion: '1.0.0', limit: 200, judgement: { outcome: 'inconclusive', candidateP95: 320, baselineP95: 100, rise: 220, lowerBound: 0, confidence: 0.95, requests: { candidate: 10, baseline: 10 } } },
    ] as unknown as NonNullable<EvalReport['latency']>;
    expect(toMarkdownSummary(report)).toContain('| `faq@1.1.0` | `golden` | `staging@1.0.0` | 320 ms vs 100 ms | +220 ms | not enough requests | +200 ms | 10 + 10 | ⚠️ inconclusive |');
  });
});
