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
    expect([...svg.matchAll(/<li><span class="swatch"[^>]*><\/span>([^<]+)<\/li>/g)].map((m) => m[1])).toEqual(['golden on sim-model', 'golden on sim-model-next']);
    expect(svg).toContain('latest run per suite and model');
  });
});
