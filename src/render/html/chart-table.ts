import { pct } from '../../core/percent.js';
import { suitePassRateInterval } from '../../core/eval/intervals.js';
import { passRateShown } from '../run-stats.js';
import { ciRange } from '../text.js';
import { escapeHtml as e } from './escape.js';
import type { HistoryPoint, HistorySeries } from './model.js';
import { scrollRegion } from './region.js';

/** A series as its legend names it: the suite, and its model when the report holds several. */
export function seriesName(s: HistorySeries): string {
  return s.model === undefined ? s.suite : `${s.suite} on ${s.model}`;
}

/**
 * The point's pass rate, or null when its run has none to show (no case judged: every request
 * failed; or cases not run), by the rule every format follows: its recorded 0 is no measurement.
 */
export function shownPassRate(p: HistoryPoint): number | null {
  return !p.counts || passRateShown(p.counts) ? p.passRate : null;
}

/**
 * The point's p95 latency, or null when no request of its run was answered (every sample an
 * error), as the runs tables say `–` for it: its recorded 0 is no measurement.
 */
export function shownP95(p: HistoryPoint): number | null {
  const c = p.counts;
  const answered = !c || c.passed + c.failed > 0 || (c.errors !== undefined && c.errors.samples < c.samples);
  return answered ? p.p95 : null;
}

/** The pass rate's 95% interval over the run's cases, when the point knows them (Wilson; core/eval/intervals.ts). */
export function passInterval(p: HistoryPoint): { lower: number; upper: number; trials: number } | null {
  if (p.cases === undefined || p.cases <= 0 || shownPassRate(p) === null) return null;
  return suitePassRateInterval({ passRate: p.passRate, cases: p.cases });
}

/** A latency as the chart and its table say it: `870ms`, `1.5s`. */
export function msLabel(v: number): string {
  return v >= 1000 ? `${(v / 1000).toFixed(v % 1000 === 0 ? 0 : 1)}s` : `${Math.round(v)}ms`;
}

/**
 * The version chart's text alternative: one row per series and version with the numbers the points'
 * titles give on hover (pass rate, its 95% interval, p95), behind a disclosure so the page stays
 * short. Screen readers read the table; the SVGs are images with a label pointing here.
 */
export function chartTable(promptId: string, series: HistorySeries[], versions: string[]): string {
  const rows = series.flatMap((s) =>
    versions.flatMap((v) => {
      const p = s.points.find((x) => x.version === v);
      if (!p) return [];
      const iv = passInterval(p);
      const where = p.inProject === false ? 'registry only' : p.earlierContent ? 'yes, edited since this run' : 'yes';
      const rate = shownPassRate(p);
      const p95 = shownP95(p);
      return [`<tr><td>${e(seriesName(s))}</td><td>${e(v)}</td><td class="num">${e(rate === null ? '–' : pct(rate))}</td><td class="num">${e(iv ? ciRange(iv) : '–')}</td><td class="num">${e(p95 === null ? '–' : msLabel(p95))}</td><td>${where}</td></tr>`];
    }),
  );
  const head = '<tr><th>Series</th><th>Version</th><th class="num">Pass rate</th><th class="num">95% CI</th><th class="num">p95</th><th>In this checkout</th></tr>';
  return `<details class="chart-data"><summary>${e(promptId)}: the chart's numbers as a table</summary>${scrollRegion(`${promptId}: pass rate and p95 by version`, `<table>${head}${rows.join('')}</table>`)}</details>`;
}
