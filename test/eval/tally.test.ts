import { afterAll, describe, expect, it } from 'vitest';
import { caseFactsOf, summarizeRun, summarizeTally, tallyOf, type CaseSpec } from '../../src/core/eval/aggregate.js';
import type { SampleResult } from '../../src/core/schemas/run.js';
import { judgeNotPassing } from '../../src/infra/eval/recorded-cases.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { makeTempDir } from '../registry/harness.js';

/**
 * A gate recomputes a run's summary from the registry's counts (summarizeTally over sampleTally),
 * and the run recorded its summary from the samples themselves (summarizeRun): both must agree.
 */

const tmp = makeTempDir();
afterAll(() => tmp.cleanup());

function sample(caseId: string, n: number, verdict: SampleResult['verdict'], extra: Partial<SampleResult> = {}): SampleResult {
  return { runId: 'r', caseId, sample: n, verdict, output: 'o', reasons: [], latencyMs: 10 * (n + 1), tokensIn: 3, tokensOut: 5, cached: false, ...extra };
}

const specs: CaseSpec[] = [
  { id: 'a', repeat: 2, minPassRate: 1 },
  { id: 'b', repeat: 2, minPassRate: 0.5, category: 'jailbreak' },
  { id: 'c', repeat: 1, minPassRate: 1, category: 'leak' },
];

const table: Array<[string, SampleResult[]]> = [
  ['all pass', [sample('a', 0, 'pass'), sample('a', 1, 'pass'), sample('b', 0, 'pass'), sample('b', 1, 'pass'), sample('c', 0, 'pass')]],
  ['mixed, with leaks', [sample('a', 0, 'pass'), sample('a', 1, 'fail', { leaks: ['pii'] }), sample('b', 0, 'error'), sample('b', 1, 'pass'), sample('c', 0, 'fail', { leaks: ['canary', 'pii'] })]],
  ['a case not run', [sample('a', 0, 'pass'), sample('b', 0, 'fail'), sample('b', 1, 'fail', { leaks: ['system-prompt'] })]],
  ['a sample of a case the suite no longer has', [sample('a', 0, 'pass'), sample('a', 1, 'pass'), sample('z', 0, 'fail')]],
  ['nothing recorded', []],
];

describe('summarizeTally agrees with summarizeRun', () => {
  it.each(table)('%s', (_name, samples) => {
    for (const adversarial of [false, true]) {
      const input = { cases: specs, threshold: 0.6, maxErrorRate: 0.3, adversarial };
      expect(summarizeTally({ ...input, tally: tallyOf(samples) })).toEqual(summarizeRun({ ...input, samples }).summary);
    }
  });

  it.each(table)('SQLite counts %s as tallyOf does', async (name, samples) => {
    const registry = openSqliteRegistry({ path: `${tmp.dir}/${name.replace(/\W/g, '-')}.db` });
    try {
      await registry.createRun({
        id: 'r', invocationId: 'i', inputsKey: 'k', promptId: 'p', version: '1.0.0', promptHash: 'h', suite: 's', suiteKind: 'golden',
        suiteHash: 'sh', model: 'm', server: 'http://127.0.0.1', promptctlVersion: 't', startedAt: '2026-01-01T00:00:00.000Z',
      });
      await registry.recordSamples(samples);
      const counted = await registry.sampleTally('r');
      const expected = tallyOf(samples);
      const byCase = (t: typeof expected) => ({ ...t, cases: [...t.cases].sort((x, y) => x.caseId.localeCompare(y.caseId)), latencies: [...t.latencies].sort((x, y) => x - y) });
      expect(byCase(counted)).toEqual(byCase(expected));
    } finally {
      await registry.close();
    }
  });
});

describe('a finishing run that keeps only its cases that did not pass (judgeNotPassing)', () => {
  it.each(table)('%s: the summary and the outcomes summarizeRun gives, read page by page', async (name, samples) => {
    const registry = openSqliteRegistry({ path: `${tmp.dir}/paged-${name.replace(/\W/g, '-')}.db` });
    try {
      await registry.createRun({
        id: 'r', invocationId: 'i', inputsKey: 'k', promptId: 'p', version: '1.0.0', promptHash: 'h', suite: 's', suiteKind: 'golden',
        suiteHash: 'sh', model: 'm', server: 'http://127.0.0.1', promptctlVersion: 't', startedAt: '2026-01-01T00:00:00.000Z',
      });
      await registry.recordSamples(samples);
      for (const adversarial of [false, true]) {
        const input = { cases: specs, threshold: 0.6, maxErrorRate: 0.3, adversarial };
        const whole = summarizeRun({ ...input, samples });
        const paged = await judgeNotPassing(registry, 'r', input);
        expect(paged.summary).toEqual(whole.summary);
        expect(paged.cases).toEqual(whole.cases.filter((c) => c.verdict !== 'pass'));
      }
    } finally {
      await registry.close();
    }
  });
});

describe('the summary of a tally, judged', () => {
  const four: CaseSpec[] = ['a', 'b', 'c', 'd'].map((id) => ({ id, repeat: 1, minPassRate: 1 }));
  const rows: Array<[string, SampleResult[], { threshold: number; maxErrorRate: number }, Record<string, unknown>]> = [
    // An errored sample is 1 of 4 samples: over max_error_rate, whatever the pass rate says.
    ['too many errored samples', [sample('a', 0, 'pass'), sample('b', 0, 'pass'), sample('c', 0, 'pass'), sample('d', 0, 'error')], { threshold: 0.75, maxErrorRate: 0.05 }, { verdict: 'incomplete', passed: 3, errored: 1, passRate: 0.75 }],
    ['errored samples within max_error_rate', [sample('a', 0, 'pass'), sample('b', 0, 'pass'), sample('c', 0, 'pass'), sample('d', 0, 'error')], { threshold: 0.75, maxErrorRate: 0.25 }, { verdict: 'passed', passed: 3, errored: 1, passRate: 0.75 }],
    // The pass rate of a partial run is over all its cases: cases not run count, never as passes.
    ['a partial run', [sample('a', 0, 'pass'), sample('b', 0, 'fail')], { threshold: 0.5, maxErrorRate: 0.05 }, { verdict: 'incomplete', passed: 1, failed: 1, notRun: 2, passRate: 0.25 }],
  ];

  it.each(rows)('%s', (_name, samples, limits, expected) => {
    const input = { cases: four, ...limits, adversarial: false };
    expect(summarizeTally({ ...input, tally: tallyOf(samples) })).toMatchObject({ cases: 4, samples: samples.length, ...expected });
  });

  it('a case with fewer samples than its repeat is no fact for a paired regression check', () => {
    const specs3: CaseSpec[] = [
      { id: 'partial', repeat: 3, minPassRate: 1 },
      { id: 'whole', repeat: 3, minPassRate: 1 },
    ];
    const samples = [sample('partial', 0, 'fail'), sample('whole', 0, 'pass'), sample('whole', 1, 'pass'), sample('whole', 2, 'fail')];
    expect(caseFactsOf(specs3, tallyOf(samples))).toEqual([{ id: 'whole', passes: 2, samples: 3, passed: false }]);
  });
});
