import { describe, expect, it } from 'vitest';
import type { EvalReport, RunOutcome } from '../../src/core/schemas/report.js';
import { buildReportData } from '../../src/render/html/model.js';
import { renderHtml } from '../../src/render/html/template.js';
import { toJUnitXml } from '../../src/render/junit.js';
import { runCells } from '../../src/render/run-stats.js';
import { fixtureReport, goldenRun, passingReport } from './fixtures.js';

/**
 * A run with cases not run has no pass rate in any format (its share of all cases would count
 * them as failed): text and Markdown show `–`, JUnit leaves the property out, HTML shows `–`.
 */

/** The fixture's golden run as recorded when a stop left its `gift-cards` case not run. */
function stopped(): RunOutcome {
  const o = goldenRun();
  return { ...o, run: { ...o.run, status: 'aborted', summary: { ...o.run.summary!, verdict: 'incomplete' } } };
}
const incomplete = (): EvalReport => ({ ...fixtureReport(), runs: [stopped()] });

function passRateProps(report: EvalReport): string[] {
  return [...toJUnitXml(report).matchAll(/<property name="(passRate[^"]*)"/g)].map((m) => m[1]!);
}

function htmlSection(report: EvalReport, section: string): string {
  const html = renderHtml(buildReportData({ title: 't', generatedAt: '2025-01-02T03:05:00.000Z', promptctlVersion: '0.1.0', outcomes: report.runs }));
  const from = html.indexOf(`<section id="${section}">`);
  return html.slice(from, html.indexOf('</section>', from)).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('the pass rate of a run with cases not run', () => {
  it('text and Markdown cells show none (the rule the others follow)', () => {
    expect(runCells(stopped()).passRate).toMatch(/^– \(need /);
    expect(runCells(stopped()).ci).toBe('–');
  });

  it.each([
    ['incomplete', incomplete(), []],
    ['complete', passingReport(), ['passRate', 'passRate.ci95.lower', 'passRate.ci95.upper', 'passRate.ci95.method']],
  ])('JUnit of a %s run', (_, report, props) => {
    expect(passRateProps(report)).toEqual(props);
  });

  it('HTML shows – in the runs table and the summary card', () => {
    expect(htmlSection(incomplete(), 'runs')).toMatch(/ incomplete 1 of 5 cases did not run – \(needs 90%\) – 5 /);
    expect(htmlSection(incomplete(), 'summary')).toMatch(/Pass rate – 2 of 5 cases/);
    expect(htmlSection(passingReport(), 'summary')).toMatch(/Pass rate 100\.0% /);
  });
});
