import { describe, expect, it } from 'vitest';
import type { RunOutcome } from '../../src/core/schemas/report.js';
import { versionCharts } from '../../src/render/html/chart.js';
import { buildReportData } from '../../src/render/html/model.js';
import { renderHtml } from '../../src/render/html/template.js';
import { adversarialRun } from '../render/fixtures.js';
import { goldenOutcome } from './fixtures.js';

/**
 * A report of a model matrix names each run `id@version:model`, as the terminal, JUnit and Markdown
 * do: two runs of one version and suite are otherwise the same row. A report on one model is unchanged.
 */

const base = { title: 'matrix', generatedAt: '2025-01-02T03:05:00.000Z', promptctlVersion: '0.1.0' };

function onModel(o: RunOutcome, model: string): RunOutcome {
  return { ...o, run: { ...o.run, id: `${o.run.id}-${model}`, model } };
}

/** The page's text outside scripts and styles, tags turned to spaces. */
function text(html: string, section: string): string {
  const from = html.indexOf(`<section id="${section}">`);
  return html.slice(from, html.indexOf('</section>', from)).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
}

describe('runs and attack tables of a report on several models', () => {
  const outcomes = [onModel(goldenOutcome('1.1.0'), 'sim-model'), onModel(goldenOutcome('1.1.0'), 'sim-model-next'), onModel(adversarialRun(), 'sim-model'), onModel(adversarialRun(), 'sim-model-next')];
  const html = renderHtml(buildReportData({ ...base, outcomes }));

  it('names each run with its model', () => {
    const runs = text(html, 'runs');
    expect(runs).toContain('support-answer@1.1.0:sim-model golden');
    expect(runs).toContain('support-answer@1.1.0:sim-model-next golden');
  });

  it("names the model in each attack table's headings and leak line", () => {
    const adv = text(html, 'adversarial');
    expect(adv).toContain('Succeeded @1.1.0:sim-model-next');
    expect(adv).toContain('support-faq@1.1.0:sim-model-next: injection resistance');
  });

  it('a report on one model is named as before', () => {
    const one = renderHtml(buildReportData({ ...base, outcomes: [goldenOutcome('1.1.0'), onModel(adversarialRun(), 'sim-model')] }));
    expect(text(one, 'runs')).toContain('support-answer@1.1.0 golden');
    expect(text(one, 'adversarial')).toContain('Succeeded @1.1.0 ');
    expect(one).not.toContain('1.1.0:sim-model');
  });
});

describe('the version chart of a report on several models', () => {
  it('draws one series per suite and model, each named with its model', () => {
    const point = (version: string, passRate: number) => ({ version, passRate, p95: 100, runId: version, at: '' });
    const svg = versionCharts([
      { promptId: 'p', suite: 'golden', model: 'sim-model', points: [point('1.0.0', 1), point('1.1.0', 1)] },
      { promptId: 'p', suite: 'golden', model: 'sim-model-next', points: [point('1.1.0', 0.25)] },
    ]);
    expect(svg).toContain('golden @ 1.1.0:sim-model-next: pass rate 25.0%');
    expect(svg).toMatch(/golden @ 1\.1\.0:sim-model: pass rate 100/);
    expect([...svg.matchAll(/<li><svg class="swatch".*?<\/svg>([^<]+)<\/li>/g)].map((m) => m[1])).toEqual(['golden on sim-model', 'golden on sim-model-next']);
    expect(svg).toContain('latest run per suite and model');
  });
});

describe('an eval --baseline --measure-latency on two models', () => {
  // Each model's adversarial suite ran twice: the eval's run, and the candidate arm of the latency measurement.
  const latencyArm = (o: RunOutcome): RunOutcome => ({
    ...o,
    run: { ...o.run, id: `${o.run.id}-latency`, summary: { ...o.run.summary!, partial: true, latency: { measurement: 'm1', arm: 'candidate', versus: { version: '1.1.0', hash: 'h' } } } },
  });
  const evalRuns = [onModel(adversarialRun(), 'sim-model'), onModel(adversarialRun(), 'sim-model-next')];
  const html = renderHtml(buildReportData({ ...base, outcomes: [...evalRuns, ...evalRuns.map(latencyArm)] }));

  it('names the latency measurement, so no two runs share a name in the runs table or the attack headings', () => {
    const names = [...text(html, 'runs').matchAll(/support-faq@\S+(?: \[latency measurement\])?/g)].map((m) => m[0]);
    expect(names).toEqual(['support-faq@1.1.0:sim-model', 'support-faq@1.1.0:sim-model-next', 'support-faq@1.1.0:sim-model [latency measurement]', 'support-faq@1.1.0:sim-model-next [latency measurement]']);
    const headings = [...html.matchAll(/<h3[^>]*>(.*?)<\/h3>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
    expect(new Set(headings).size).toBe(4);
    expect(text(html, 'adversarial')).toContain('Succeeded @1.1.0:sim-model-next [latency measurement]');
  });
});
