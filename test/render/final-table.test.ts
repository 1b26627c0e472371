import { describe, expect, it } from 'vitest';
import { formatFinalTable } from '../../src/render/final-table.js';
import { displayWidth, fitWidth, formatTable, wrapWidth } from '../../src/render/table.js';
import { fixtureReport, passingReport } from './fixtures.js';

const ESC = '\u001b';

describe('formatFinalTable', () => {
  it('renders runs, attacks, baselines and tested marks without colour', () => {
    const out = formatFinalTable(fixtureReport(), { color: false });
    expect(out).not.toContain(ESC);
    expect(out).toMatchInlineSnapshot(`
      "Model qwen2.5-7b-instruct on http://vllm:8000

      PROMPT             SUITE      KIND         VERDICT  PASS RATE               95% CI  PASSED  FAILED  ERRORS  NOT RUN   P50   P95  TOKENS IN/OUT
      support-faq@1.1.0  faq        golden       failed   50.0% (need 90.0%)  17.0–83.0%       2       1       1        1  41ms  90ms        700/140
      support-faq@1.1.0  injection  adversarial  failed   75.0% (need 99.5%)  30.0–95.5%       3       1       0        0  40ms  40ms         400/80

      Attacks on support-faq@1.1.0 (injection)
      CATEGORY                  ATTACKS  SUCCEEDED  SUCCESS RATE       95% CI
      instruction-override            2          0          0.0%    0.0–65.8%
      pii-exfiltration                1          0          0.0%    0.0–79.4%
      system-prompt-extraction        1          1        100.0%  20.6–100.0%
      injection resistance 75.0% (95% CI 30.0–95.5%; 1 of 4 attacks succeeded)
      PII leaks 0 · system-prompt leaks 1

      Compared with deployed versions
      PROMPT       VERSION  ENV         BASELINE  SUITE      PASS RATE               Δ  P95           Δ P95  REGRESSIONS
      support-faq  1.1.0    production  1.0.0     faq        50.0% vs 75.0%  −25.0 pts  90ms vs 70ms  +20ms  refund-window
      support-faq  1.1.0    production  1.0.0     injection  75.0% vs 75.0%   ±0.0 pts  40ms vs –

      Tested marks
      ✗ support-faq@1.1.0 not tested: suite faq failed (50.0% < 90.0%)

      2 of 2 suite runs failed, and 1 regression fails the gate.
      "
    `);
  });

  it('colours only when asked', () => {
    const out = formatFinalTable(fixtureReport(), { color: true });
    expect(out).toContain(`${ESC}[31m`);
    // Colour must not change the layout.
    expect(out.replace(/\u001b\[[0-9;]*m/g, '')).toBe(formatFinalTable(fixtureReport(), { color: false }));
  });

  it('ends with the verdict, or the abort reason', () => {
    expect(formatFinalTable(passingReport(), { color: false }).trimEnd().split('\n').at(-1)).toBe('1 suite run passed.');
    const aborted = formatFinalTable({ ...fixtureReport(), aborted: 'circuit breaker open' }, { color: false });
    expect(aborted.trimEnd().split('\n').at(-1)).toBe('Aborted: circuit breaker open');
  });

  it('derives a summary when the run has none', () => {
    const report = fixtureReport();
    for (const r of report.runs) delete r.run.summary;
    const out = formatFinalTable(report, { color: false });
    // Incomplete with a case not run: no share of all cases beside the threshold (it would count the
    // case not run as failed), no interval; the counts say how far it got.
    expect(out).toMatch(/support-faq@1\.1\.0\s+faq\s+golden\s+incomplete\s+– \(need 90\.0%\)\s+–\s+2\s+1\s+1\s+1/);
    expect(out).toMatch(/system-prompt-extraction\s+1\s+1\s+100\.0%\s+20\.6–100\.0%/);
    expect(out).toContain('PII leaks 0 · system-prompt leaks 1');
  });
});

describe('a run none of whose requests was answered', () => {
  it('shows no pass rate, interval, latency or resistance, and stays incomplete', () => {
    const report = fixtureReport();
    const adv = report.runs[1]!;
    adv.cases = adv.cases.map((c) => ({ ...c, verdict: 'error', passRate: 0, samples: c.samples.map((x) => ({ ...x, verdict: 'error', output: '', reasons: [], leaks: undefined, error: 'HTTP 400: context too long' })) }));
    const empty = { attacks: 0, succeeded: 0, successRate: 0 };
    adv.run.summary = {
      ...adv.run.summary!,
      passed: 0, failed: 0, errored: 4, passRate: 0, verdict: 'incomplete', latencyP50: 0, latencyP95: 0, latencyP99: 0, tokensIn: 0, tokensOut: 0,
      categories: adv.run.summary!.categories!.map((k) => ({ ...k, ...empty, notRun: k.attacks })),
      attacks: 0, attacksSucceeded: 0, resistance: 0, systemPromptLeaks: 0,
    };
    report.runs = [adv];
    report.baselines = [];
    const out = formatFinalTable(report, { color: false });
    expect(out).toMatch(/^support-faq@1\.1\.0 +injection +adversarial +incomplete +– \(need 99\.5%\) +– +0 +0 +4 +0 +– +– +0\/0$/m);
    expect(out).toContain('injection resistance – (95% CI –; 0 of 0 attacks succeeded)');
    expect(out.trimEnd().split('\n').at(-1)).toBe('1 of 1 suite run is incomplete.');
    // One answered sample is a latency measured, even with no case judged.
    adv.cases[0]!.samples[0]!.verdict = 'pass';
    expect(formatFinalTable(report, { color: false })).toMatch(/ +– \(need 99\.5%\) +– +0 +0 +4 +0 +0ms +0ms +0\/0$/m);
  });
});

describe("eval --baseline's REGRESSIONS column", () => {
  const long = 'inconclusive: 1 of 5 cases got worse (pass rate 80.0% vs 100.0%, −20.0 pts): too few cases to tell a drop of more than 5 points from chance; 12 more cases would decide it';
  const withLong = () => {
    const report = fixtureReport();
    report.baselines[0]!.suites[0]!.regressions = [long];
    report.baselines[0]!.suites[1]!.warnings = [`warn ${long}`];
    return report;
  };

  it('is whole without a terminal width (a log, a pipe)', () => {
    const out = formatFinalTable(withLong(), { color: false });
    expect(out).toContain(`+20ms  ${long}\n`);
    expect(out).toContain(`warn: warn ${long}\n`);
  });

  it('is cut to the terminal width at a terminal', () => {
    const out = formatFinalTable(withLong(), { color: false, width: 120 });
    const rows = out.split('\n').filter((l) => l.startsWith('support-faq  1.1.0'));
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(displayWidth(row)).toBeLessThanOrEqual(120);
      expect(row).toMatch(/…$/);
    }
  });
});

describe('table helpers', () => {
  it('measures wide characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('👍🏽')).toBe(2);
    expect(fitWidth('日本語テキスト', 7)).toBe('日本語…');
  });

  it('aligns columns', () => {
    expect(formatTable([{ header: 'A' }, { header: 'N', align: 'right' }, { header: 'C' }], [['xx', '1', 'z'], ['y', '100', '']])).toBe(
      'A     N  C\nxx    1  z\ny   100',
    );
  });

  it('wraps at spaces and marks cut text', () => {
    expect(wrapWidth('the quick brown fox jumps over', 10, 2)).toEqual(['the quick', 'brown fox…']);
  });
});
