import { describe, expect, it } from 'vitest';
import { versionCharts } from '../../src/render/html/chart.js';
import { STYLES } from '../../src/render/html/styles.js';

/** The version chart without sight or colour: a data table per figure, and series told apart by marker shape. */

const point = (version: string, passRate: number, more: { cases?: number; inProject?: boolean } = {}) => ({ version, passRate, p95: 1500 * passRate, runId: version, at: '', ...more });
const svg = versionCharts([
  { promptId: 'support-answer', suite: 'golden', points: [point('1.0.0', 1, { cases: 10 }), point('1.1.0', 0.5, { cases: 10 }), point('0.9.0', 0.8, { inProject: false })] },
  { promptId: 'support-answer', suite: 'adversarial', points: [point('1.0.0', 0.9), point('1.1.0', 0.7)] },
]);
const cells = (row: string) => [...row.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);

describe('the version chart', () => {
  it('gives each figure its numbers as a table: series, version, pass rate, interval, p95, in this checkout', () => {
    const table = svg.slice(svg.indexOf('<details class="chart-data">'), svg.indexOf('</details>'));
    expect(table).toContain("support-answer: the chart's numbers as a table");
    const rows = [...table.matchAll(/<tr><td.*?<\/tr>/g)].map((m) => cells(m[0]));
    expect(rows).toEqual([
      ['golden', '0.9.0', '80.0%', '–', '1.2s', 'registry only'],
      ['golden', '1.0.0', '100.0%', '72.2–100.0%', '1.5s', 'yes'],
      ['golden', '1.1.0', '50.0%', '23.6–76.4%', '750ms', 'yes'],
      ['adversarial', '1.0.0', '90.0%', '–', '1.4s', 'yes'],
      ['adversarial', '1.1.0', '70.0%', '–', '1.1s', 'yes'],
    ]);
    expect(svg).toContain('aria-label="Pass rate (cases), 95% interval bars by version; the numbers are in the table below"');
  });

  it('draws each series with its own marker shape, in the legend too', () => {
    const pass = svg.slice(0, svg.indexOf('</svg>'));
    expect(pass.match(/<circle /g)).toHaveLength(3);
    expect(pass.match(/<path class="mark" d="M[\d.]+,[\d.]+ h/g)).toHaveLength(2);
    const legend = svg.slice(svg.indexOf('<ul class="legend">'), svg.indexOf('</ul>'));
    expect(legend).toMatch(/<li><svg class="swatch"[^>]*><circle [^>]*><\/circle><\/svg>golden<\/li>/);
    expect(legend).toMatch(/<li><svg class="swatch"[^>]*><path class="mark" d="M[\d.]+,[\d.]+ h[^>]*><\/path><\/svg>adversarial<\/li>/);
  });

  it('writes versions recorded elsewhere in a grey that reads on white (4.8:1)', () => {
    expect(STYLES).toMatch(/\.tick-away \{[^}]*fill:#6b7280/);
  });
});
