import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/core/schemas/report.js';
import { formatFinalTable } from '../../src/render/final-table.js';
import { toMarkdownSummary } from '../../src/render/markdown.js';
import { failedChecksOf, failedChecksText } from '../../src/render/run-stats.js';
import { passingReport } from './fixtures.js';

const DROP = "golden suite 'faq': pass rate 90.0% dropped 10.0 points from 100.0% on 1.0.0 (limit 5.0)";
const UNSURE = "golden suite 'faq': inconclusive: 1 of 4 cases got worse (25.0 points observed, limit 5.0); with 4 cases this cannot be told from chance";

/** Every run passed; the baseline comparison holds these failed checks, `inconclusive` those of them that prove nothing. */
function compared(regressions: string[], inconclusive?: string[]): EvalReport {
  const report = passingReport();
  const suite = { suite: 'faq', passRate: 0.9, baselinePassRate: 1, p95: 40, baselineP95: 40, regressions, ...(inconclusive ? { inconclusive } : {}) };
  return { ...report, baselines: [{ env: 'production', promptId: 'support-faq', version: '1.1.0', baselineVersion: '1.0.0', suites: [suite] }] };
}

describe('failed regression checks: an inconclusive one is never counted as a regression', () => {
  it.each<[string[], string[] | undefined, { regressions: number; inconclusive: number }, string]>([
    [[], undefined, { regressions: 0, inconclusive: 0 }, '0 regressions'],
    [[DROP], undefined, { regressions: 1, inconclusive: 0 }, '1 regression'],
    [[UNSURE], [UNSURE], { regressions: 0, inconclusive: 1 }, '1 inconclusive check'],
    [[DROP, UNSURE], [UNSURE], { regressions: 1, inconclusive: 1 }, '1 regression and 1 inconclusive check'],
  ])('%j, inconclusive %j', (regressions, inconclusive, counts, text) => {
    const n = failedChecksOf(compared(regressions, inconclusive).baselines[0]!.suites);
    expect(n).toEqual(counts);
    expect(failedChecksText(n)).toBe(text);
  });

  it.each<[string[], string[] | undefined, string, string]>([
    [[DROP], undefined, 'but 1 regression fails the gate.', 'but 1 regression against deployed versions fails the gate'],
    [[UNSURE], [UNSURE], 'but 1 inconclusive check fails the gate.', 'but 1 inconclusive check against deployed versions fails the gate'],
    [[DROP, UNSURE], [UNSURE], 'but 1 regression and 1 inconclusive check fail the gate.', 'but 1 regression and 1 inconclusive check against deployed versions fail the gate'],
  ])('the headlines of %j (inconclusive %j)', (regressions, inconclusive, text, markdown) => {
    const report = compared(regressions, inconclusive);
    expect(formatFinalTable(report, { color: false })).toContain(`1 suite run passed its threshold, ${text}`);
    expect(toMarkdownSummary(report).split('\n')[0]).toBe(`## ❌ promptctl eval: 1 suite run passed its threshold, ${markdown}`);
  });
});

describe('the HTML report tells an inconclusive check from a regression', () => {
  it('shows a regression in red and an inconclusive check in amber', async () => {
    const { baselinesTable } = await import('../../src/render/html/sections.js');
    const report = compared([DROP, UNSURE], [UNSURE]);
    const html = baselinesTable({ baselines: report.baselines } as Parameters<typeof baselinesTable>[0]);
    // Both fail the gate, and say so in words (not by colour alone).
    expect(html).toContain(`<div style="color:#b91c1c"><b>fails the gate:</b> ${DROP.replace(/'/g, '&#39;')}</div>`);
    expect(html).toContain(`<div style="color:#b45309"><b>inconclusive, fails the gate:</b> ${UNSURE.replace(/'/g, '&#39;')}</div>`);
    // Which version each row compares: ci compares several against one baseline.
    expect(html).toContain('<th>Prompt</th><th>Version</th><th>Baseline</th>');
    expect(html).toContain('<tr><td>support-faq</td><td>1.1.0</td><td>production: 1.0.0</td><td>faq</td>');
  });
});

describe("a partial run of this eval is not the run a baseline row compares, and the outputs say so", () => {
  it('text and Markdown name the partial run and what the row compares instead; a complete run says nothing', () => {
    const report = compared([]);
    const partial: EvalReport = { ...report, runs: report.runs.map((o) => ({ ...o, run: { ...o.run, summary: { ...o.run.summary!, partial: true } } })) };
    const note = "support-faq@1.1.0 faq: this eval's run is partial (a subset of the cases or another sample count), so the row compares the suite's latest complete run instead";
    expect(formatFinalTable(partial, { color: false })).toContain(`note: ${note}`);
    expect(toMarkdownSummary(partial)).toMatch(/> support-faq@(&#8203;)?1\.1\.0 faq: this eval's run is partial/);
    expect(formatFinalTable(report, { color: false })).not.toContain('note:');
    expect(toMarkdownSummary(report)).not.toContain('is partial');
  });
});

describe('the rates and Δ beside a failed pass-rate check agree with its sentence in every table', () => {
  // 10,000 cases: 9,491 against 9,999 passed, a 5.08-point drop beyond a 5-point limit. Truncated to
  // one decimal the rates read 94.9% vs 99.9%, "−5.0 pts": within the limit the row fails.
  const SENTENCE = "golden suite 'faq': pass rate 94.91% dropped 5.08 points from 99.99% on 1.0.0 (limit 5.0)";
  const report = (passRateLimit?: number): EvalReport => {
    const r = passingReport();
    const suite = { suite: 'faq', passRate: 0.9491, baselinePassRate: 0.9999, ...(passRateLimit === undefined ? {} : { passRateLimit }), p95: 40, baselineP95: 40, regressions: [SENTENCE] };
    return { ...r, baselines: [{ env: 'production', promptId: 'support-faq', version: '1.1.0', baselineVersion: '1.0.0', suites: [suite] }] };
  };

  it('text, Markdown and HTML show 94.91% vs 99.99% and −5.08 pts', async () => {
    const { baselinesTable } = await import('../../src/render/html/sections.js');
    const text = formatFinalTable(report(5), { color: false });
    expect(text).toMatch(/94\.91% vs 99\.99% +│? *−5\.08 pts/);
    expect(text).not.toContain('−5.0 pts');
    const md = toMarkdownSummary(report(5));
    expect(md).toContain('| 94.91% vs 99.99% | −5.08 pts |');
    const html = baselinesTable({ baselines: report(5).baselines } as Parameters<typeof baselinesTable>[0]);
    expect(html).toContain('<td class="num">94.91%</td>');
    expect(html).toContain('−5.08 pts');
  });

  it('a report without the limit (written before it was recorded) shows the rates as before', () => {
    expect(toMarkdownSummary(report())).toContain('| 94.9% vs 99.9% | −5.0 pts |');
  });
});

describe('the p95s and Δ beside a latency check agree with its sentence in every table', () => {
  // A 0.3 ms rise fails a 0 ms limit; to whole ms both p95s read 67ms, "±0ms", beside the failure.
  const SENTENCE = "golden suite 'faq': p95 latency 67.2 ms is 0.3 ms above 66.9 ms on 1.0.0 (limit 0 ms) in separate runs";
  const report = (p95Check?: { limit: number; beyond: boolean }): EvalReport => {
    const r = passingReport();
    const suite = { suite: 'faq', passRate: 1, baselinePassRate: 1, p95: 67.2, baselineP95: 66.9, ...(p95Check ? { p95Check } : {}), regressions: [SENTENCE] };
    return { ...r, baselines: [{ env: 'staging', promptId: 'support-faq', version: '1.1.0', baselineVersion: '1.0.0', suites: [suite] }] };
  };

  it('text, Markdown and HTML show 67.2ms vs 66.9ms and +0.3ms', async () => {
    const { baselinesTable } = await import('../../src/render/html/sections.js');
    const failed = report({ limit: 0, beyond: true });
    const text = formatFinalTable(failed, { color: false });
    expect(text).toMatch(/67\.2ms vs 66\.9ms +│? *\+0\.3ms/);
    expect(text).not.toContain('±0ms');
    expect(toMarkdownSummary(failed)).toContain('| 67.2ms vs 66.9ms | +0.3ms |');
    const html = baselinesTable({ baselines: failed.baselines } as Parameters<typeof baselinesTable>[0]);
    expect(html).toContain('<td class="num">67.2ms</td>');
    expect(html).toContain('+0.3ms');
    expect(html).not.toContain('±0ms');
  });

  it('a report without the check (written before it was recorded) shows the p95s as before', () => {
    expect(toMarkdownSummary(report())).toContain('| 67ms vs 67ms | ±0ms |');
  });
});

describe('a baseline with no suite compared (an eval stopped before any run finished)', () => {
  it('gets no Markdown table, as the text leaves the section out', () => {
    const report = { ...passingReport(), baselines: [{ env: 'production', promptId: 'support-faq', version: '1.1.0', baselineVersion: '1.0.0', suites: [] }] };
    expect(formatFinalTable(report, { color: false })).not.toContain('BASELINE');
    expect(toMarkdownSummary(report)).not.toContain('Compared with deployed versions');
  });
});
