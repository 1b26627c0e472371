import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/infra/eval/report.js';
import { versionCharts } from '../../src/render/html/chart.js';
import { buildReportData, sideOf } from '../../src/render/html/model.js';
import { adversarialTable, runsTable } from '../../src/render/html/sections.js';
import { toJUnitXml } from '../../src/render/junit.js';
import { caseVerdictCiText, ciRange } from '../../src/render/text.js';
import { adversarialRun, fixtureReport, goldenRun } from './fixtures.js';

/** The 95% intervals beside every rate, format by format (issue 13, item 1). */

describe('ciRange: both bounds, rounded outward', () => {
  it.each([
    { lower: 0.170425, upper: 0.829575, trials: 5, text: '17.0–83.0%' },
    // Outward: 78.16 shows 78.1 (down), 85.21 shows 85.3 (up).
    { lower: 0.7816, upper: 0.8521, trials: 300, text: '78.1–85.3%' },
    { lower: 0, upper: 0.1611, trials: 20, text: '0.0–16.2%' },
    { lower: 0.8389, upper: 1, trials: 20, text: '83.8–100.0%' },
    // Binary noise at a round bound does not move it a step.
    { lower: 0.25, upper: 0.7500000000000001, trials: 50, text: '25.0–75.0%' },
    { lower: 0, upper: 1, trials: 0, text: '–' },
  ])('$lower–$upper over $trials trials is $text', ({ lower, upper, trials, text }) => {
    expect(ciRange({ lower, upper, trials })).toBe(text);
  });

  it('a case shows its interval only when more than one sample was scored', () => {
    const golden = goldenRun();
    const byId = Object.fromEntries(golden.cases.map((c) => [c.caseId, c]));
    expect(caseVerdictCiText(byId['refund-window']!)).toBe('0.0–65.8%');
    expect(caseVerdictCiText(byId['refund-policy']!)).toBe('34.2–100.0%');
    // One sample that errored, and no sample at all.
    expect(caseVerdictCiText(byId['shipping-time']!)).toBeNull();
    expect(caseVerdictCiText(byId['gift-cards']!)).toBeNull();
  });
});

describe('--json: the report built by eval carries the intervals', () => {
  const input = { invocationId: 'i', model: 'm', server: 's', startedAt: 'a', endedAt: 'b', versions: [], baselines: [] };

  it('adds intervals to each run and passRateInterval to each case, and keeps every other field', () => {
    const outcomes = [goldenRun(), adversarialRun()];
    const report = buildReport({ ...input, outcomes });
    const [golden, adv] = report.runs;
    expect(golden?.intervals?.passRate).toMatchObject({ estimate: 0.5, method: 'wilson', over: 'cases', trials: 5, confidence: 0.95 });
    expect(golden?.intervals?.samplePassRate).toMatchObject({ method: 'clustered', over: 'samples' });
    expect(adv?.intervals?.attackSuccessRate).toMatchObject({ estimate: 0.25, over: 'attacks', trials: 4 });
    expect(adv?.intervals?.categories).toHaveLength(3);
    expect(golden?.cases.find((c) => c.caseId === 'refund-window')?.passRateInterval).toMatchObject({ estimate: 0, trials: 2, over: 'samples' });
    // Fields are added, never changed or removed; the run (and its stored summary) is the same object.
    report.runs.forEach((r, i) => {
      const { intervals, ...rest } = r;
      expect(intervals).toBeDefined();
      expect(rest.run).toBe(outcomes[i]!.run);
      expect(rest.cases.map(({ passRateInterval, ...c }) => c)).toEqual(outcomes[i]!.cases);
    });
    expect(Object.keys(report.runs[0]!.run.summary!)).not.toContain('intervals');
  });
});

describe('JUnit: interval properties beside each rate', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => ['testsuite', 'property'].includes(n) });
  const suites = (parser.parse(toJUnitXml(fixtureReport())) as { testsuites: { testsuite: Array<{ properties: { property: Array<Record<string, string>> } }> } }).testsuites.testsuite;
  const props = (i: number) => Object.fromEntries(suites[i]!.properties.property.map((p) => [p['@name'], String(p['@value'])]));

  it('gives the suite pass rate its interval over the cases, and the sample pass rate with repeats', () => {
    expect(props(0)).toMatchObject({
      passRate: '0.5000',
      'passRate.ci95.lower': '0.1704',
      'passRate.ci95.upper': '0.8296',
      'passRate.ci95.method': 'wilson over cases',
      'samplePassRate.ci95.method': 'clustered over samples',
    });
  });

  it('gives each attack success rate, per category and overall, its interval over the attacks', () => {
    const p = props(1);
    expect(p).toMatchObject({
      'attack.instruction-override.successRate.ci95.lower': '0.0000',
      'attack.instruction-override.successRate.ci95.upper': '0.6577',
      'attack.system-prompt-extraction.successRate.ci95.lower': '0.2065',
      'attack.system-prompt-extraction.successRate.ci95.upper': '1.0000',
      'attacks.successRate': '0.2500',
      'attacks.successRate.ci95.lower': '0.0455',
      'attacks.successRate.ci95.upper': '0.6994',
    });
    // Single-sample cases: no sample pass rate beside the suite's.
    expect(p['samplePassRate']).toBeUndefined();
  });
});

describe('HTML report', () => {
  const base = { title: 't', generatedAt: '2025-01-02T03:05:00.000Z', promptctlVersion: '0.1.0' };

  it('shows the interval beside the pass rate in the runs table and beside each attack success rate', () => {
    const d = buildReportData({ ...base, outcomes: [goldenRun(), adversarialRun()] });
    const runs = runsTable(d);
    expect(runs).toContain('<th class="num" title="95% confidence interval of the pass rate, over the cases (Wilson)">95% CI</th>');
    expect(runs).toContain('<td class="num ci">17.0–83.0%</td>');
    const adv = adversarialTable(d);
    expect(adv).toContain('<td class="num ci">20.6–100.0%</td>');
    expect(adv).toContain('injection resistance 75.0% (95% CI 30.0–95.5%; 1 of 4 attacks succeeded)');
  });

  it('gives a case with several samples its interval for the page', () => {
    const byId = Object.fromEntries(goldenRun().cases.map((c) => [c.caseId, c]));
    expect(sideOf(byId['flaky-greeting']!).passRateCi).toBe('9.4–90.6%');
    expect(sideOf(byId['shipping-time']!).passRateCi).toBeUndefined();
  });

  it('draws an error bar for each point whose cases are known', () => {
    const svg = versionCharts([
      { promptId: 'p', suite: 'golden', points: [
        { version: '1.0.0', passRate: 0.9, cases: 10, p95: 100, runId: 'a', at: '' },
        { version: '1.1.0', passRate: 0.5, p95: 100, runId: 'b', at: '' },
      ] },
    ]);
    const pass = svg.slice(0, svg.indexOf('</svg>'));
    expect(pass.match(/<path class="ci-bar"/g)).toHaveLength(1);
    expect(pass).toContain('golden @ 1.0.0: pass rate 90.0% (95% CI 59.5–98.3% over 10 cases), p95 100ms');
    expect(pass).toContain('golden @ 1.1.0: pass rate 50.0%, p95 100ms');
    // The latency panel has no bars.
    expect(svg.slice(svg.indexOf('</svg>'))).not.toContain('ci-bar');
  });
});

describe('HTML report: a run with no answered request', () => {
  it('shows no latency (–), as the text and Markdown tables do, not 0ms', () => {
    const run = goldenRun();
    const errored = { ...run, run: { ...run.run, summary: { ...run.run.summary!, passed: 0, failed: 0, errored: run.run.summary!.cases, latencyP50: 0, latencyP95: 0, verdict: 'incomplete' as const } } };
    const d = buildReportData({ title: 't', generatedAt: '2025-01-02T03:05:00.000Z', promptctlVersion: '0.1.0', outcomes: [errored] });
    const row = /<tr data-run=[^]*?<\/tr>/.exec(runsTable(d))![0];
    expect(row).not.toContain('0ms');
    expect(row.match(/<td class="num">–<\/td>/g)).toHaveLength(2);
  });
});
