import { describe, expect, it } from 'vitest';
import { withCaseInputs } from '../../src/app/report-inputs.js';
import type { RunOutcome } from '../../src/core/schemas/report.js';
import { buildReportData } from '../../src/render/html/model.js';
import { MAX_OUTPUT_CHARS } from '../../src/render/html/shared-text.js';
import { summaryCards } from '../../src/render/html/sections.js';
import { goldenOutcome, runRecord } from './fixtures.js';

const base = { title: 't', generatedAt: '2025-01-02T03:04:05.000Z', promptctlVersion: '0.1.0' };

/** `goldenOutcome` with a question per case; refund-window's carries an email and a canary. */
function withVars(o: RunOutcome): RunOutcome {
  const vars: Record<string, Record<string, string | number>> = {
    'refund-window': { question: 'Refund to jane.doe@example.com? Trace CANARY-0123456789abcdef0123', n: 3 },
    'shipping-time': { question: 'How long does shipping take?' },
  };
  return { ...o, cases: o.cases.map((c) => (vars[c.caseId] ? { ...c, vars: vars[c.caseId] } : c)) };
}

describe('inputs in the HTML report', () => {
  it('shows each case its variables, redacted as outputs are and capped', () => {
    const big = withVars(goldenOutcome('1.2.0'));
    big.cases[1] = { ...big.cases[1]!, vars: { question: 'q'.repeat(MAX_OUTPUT_CHARS + 10) } };
    const d = buildReportData({ ...base, outcomes: [big] });
    expect(d.cases[0]!.inputs).toEqual([
      { name: 'question', value: 'Refund to ja**********om? Trace CANARY-…' },
      { name: 'n', value: '3' },
    ]);
    expect(d.cases[1]!.inputs![0]!.value).toContain('[10 more characters not shown]');
    // A case without known inputs (its suite file changed) has none, rather than wrong ones.
    expect(d.cases[2]).not.toHaveProperty('inputs');
    expect(JSON.stringify(d)).not.toContain('jane.doe');
  });

  it('shows a compared case its inputs once, from either side', () => {
    const a = goldenOutcome('1.1.0');
    const b = withVars(goldenOutcome('1.2.0'));
    const d = buildReportData({ ...base, outcomes: [a, b], comparison: { promptId: 'support-answer', a: '1.1.0', b: '1.2.0' } });
    const shipping = d.cases.find((c) => c.caseId === 'shipping-time')!;
    expect(shipping.inputs).toEqual([{ name: 'question', value: 'How long does shipping take?' }]);
  });
});

describe('withCaseInputs', () => {
  it("adds the suite file's variables to the cases of runs whose suite content it has, and nothing otherwise", () => {
    const known = goldenOutcome('1.2.0');
    const changed = { ...goldenOutcome('1.1.0'), run: runRecord({ id: 'run-old', suiteHash: 'gone' }) };
    const lookup = (run: { suiteHash: string }) => (run.suiteHash === 's1' ? new Map([['refund-window', { vars: { question: 'Refund?' } }]]) : null);
    const [k, c] = withCaseInputs([known, changed], lookup);
    expect(k!.cases[0]!.vars).toEqual({ question: 'Refund?' });
    expect(k!.cases[1]).not.toHaveProperty('vars');
    expect(c).toBe(changed);
  });
});

describe('summary cards', () => {
  const tones = (html: string) => Object.fromEntries([...html.matchAll(/<div class="card ([a-z]*)"><div class="label">([^<]+)</g)].map((m) => [m[2], m[1]]));
  const run = (verdict: 'passed' | 'failed', passRate: number) => {
    const o = goldenOutcome('1.2.0');
    return { ...o, run: { ...o.run, summary: { cases: 6, passed: 5, failed: 1, errored: 0, notRun: 0, samples: 6, passRate, verdict, latencyP50: 1, latencyP95: 1, latencyP99: 1, tokensIn: 1, tokensOut: 1 } } };
  };

  it('are red only when the verdict failed: a suite at 83.3% that needs 80% passed', () => {
    const passed = tones(summaryCards(buildReportData({ ...base, outcomes: [run('passed', 5 / 6)] })));
    expect(passed['Pass rate']).toBe('good');
    expect(passed['Failed']).toBe('warn');
    const failed = tones(summaryCards(buildReportData({ ...base, outcomes: [run('failed', 5 / 6)] })));
    expect(failed['Pass rate']).toBe('bad');
    expect(failed['Failed']).toBe('bad');
  });
});
