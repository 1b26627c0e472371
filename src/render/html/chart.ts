import { sortVersionsDesc } from '../../core/refs.js';
import { pct } from '../../core/percent.js';
import { ciRange } from '../text.js';
import { chartTable, msLabel, passInterval, seriesName, shownP95, shownPassRate } from './chart-table.js';
import { escapeHtml } from './escape.js';
import type { HistorySeries } from './model.js';

/**
 * The version chart: for each prompt, its pass rate and p95 latency across versions, one line per
 * suite (per suite and model in a report on several models), as inline SVG written at generation time (no script, no external asset). Every text in the
 * SVG goes through escapeHtml; points carry a <title> so hovering shows the exact numbers. Versions
 * the registry holds but this checkout does not (another branch) are drawn hollow, off the lines.
 * Series differ by marker shape as well as colour, and each figure's numbers are also a table
 * (chart-table.ts), its text alternative: an SVG image's own titles are hidden from screen readers.
 */

export const SERIES_COLORS = ['#2563eb', '#d97706', '#059669', '#db2777', '#7c3aed', '#0891b2', '#65a30d', '#dc2626'];

/** Marker shapes, a series' second mark after its colour (colour pairs repeat only after 8 series). */
const SHAPES = ['circle', 'square', 'triangle', 'diamond'] as const;

/** A point's marker: series 0 a circle, then a square, a triangle and a diamond, of about the same area. */
function marker(si: number, cx: number, cy: number, r: number, paint: string, title = ''): string {
  const shape = SHAPES[si % SHAPES.length]!;
  const [x, y] = [cx.toFixed(1), cy.toFixed(1)];
  if (shape === 'circle') return `<circle cx="${x}" cy="${y}" r="${r}" ${paint}>${title}</circle>`;
  const k = (n: number) => (n * r).toFixed(1);
  const d =
    shape === 'square' ? `M${(cx - 0.9 * r).toFixed(1)},${(cy - 0.9 * r).toFixed(1)} h${k(1.8)} v${k(1.8)} h-${k(1.8)} z`
    : shape === 'triangle' ? `M${x},${(cy - 1.25 * r).toFixed(1)} L${(cx + 1.15 * r).toFixed(1)},${(cy + 0.85 * r).toFixed(1)} L${(cx - 1.15 * r).toFixed(1)},${(cy + 0.85 * r).toFixed(1)} z`
    : `M${x},${(cy - 1.3 * r).toFixed(1)} L${(cx + 1.3 * r).toFixed(1)},${y} L${x},${(cy + 1.3 * r).toFixed(1)} L${(cx - 1.3 * r).toFixed(1)},${y} z`;
  return `<path class="mark" d="${d}" ${paint}>${title}</path>`;
}

/** The legend's mark of series `si`: its shape in its colour. */
export function legendMark(si: number): string {
  return `<svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true">${marker(si, 6, 6, 4, `fill="${SERIES_COLORS[si % SERIES_COLORS.length]}"`)}</svg>`;
}

const W = 440;
const H = 230;
const M = { left: 52, right: 14, top: 26, bottom: 50 };

interface Panel {
  title: string;
  /** null: the point's run has no such measurement (chart-table.ts), drawn as a gap. */
  value: (p: HistoryPoint) => number | null;
  max: number;
  tick: (v: number) => string;
  /** An error bar's ends, in the panel's units; null draws none. */
  bar?: (p: HistoryPoint) => [number, number] | null;
}

type HistoryPoint = HistorySeries['points'][number];

/** 0, a round step and a round top above `max`: 870 → 1000 with ticks every 250. */
export function niceMax(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 100, step: 25 };
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  return { top: step * Math.ceil(max / step), step };
}

function panelSvg(panel: Panel, series: HistorySeries[], versions: string[], highlight: Set<string>, away: Set<string>): string {
  const iw = W - M.left - M.right;
  const ih = H - M.top - M.bottom;
  const pad = 14;
  const x = (v: string) => M.left + pad + (versions.length === 1 ? (iw - 2 * pad) / 2 : (versions.indexOf(v) / (versions.length - 1)) * (iw - 2 * pad));
  const { top, step } = panel.max === 100 ? { top: 100, step: 25 } : niceMax(panel.max);
  const y = (v: number) => M.top + ih - (Math.min(v, top) / top) * ih;
  const parts: string[] = [];
  parts.push(`<text class="chart-title" x="${M.left}" y="16">${escapeHtml(panel.title)}</text>`);
  for (let t = 0; t <= top + 1e-9; t += step) {
    const yy = y(t).toFixed(1);
    parts.push(`<line class="grid" x1="${M.left}" x2="${W - M.right}" y1="${yy}" y2="${yy}"/>`);
    parts.push(`<text class="tick" x="${M.left - 6}" y="${yy}" text-anchor="end" dominant-baseline="middle">${escapeHtml(panel.tick(t))}</text>`);
  }
  const every = Math.max(1, Math.ceil(versions.length / 12));
  versions.forEach((v, i) => {
    if (i % every !== 0 && i !== versions.length - 1 && !highlight.has(v)) return;
    const xx = x(v).toFixed(1);
    const cls = `tick${highlight.has(v) ? ' tick-strong' : ''}${away.has(v) ? ' tick-away' : ''}`;
    parts.push(`<text class="${cls}" transform="translate(${xx},${H - M.bottom + 14}) rotate(-35)" text-anchor="end">${escapeHtml(v)}</text>`);
  });
  series.forEach((s, si) => {
    const color = SERIES_COLORS[si % SERIES_COLORS.length]!;
    const pts = s.points.filter((p) => versions.includes(p.version)).sort((a, b) => versions.indexOf(a.version) - versions.indexOf(b.version));
    // The line joins this checkout's versions as they are now; registry-only ones, and a draft's
    // earlier content (another prompt than its file now), are hollow dots beside it. A point with no
    // value (a run that judged no case) is a gap: the line breaks there, never drawn through 0.
    const segments: HistoryPoint[][] = [[]];
    for (const p of pts.filter(onLine)) {
      if (panel.value(p) === null) segments.push([]);
      else segments.at(-1)!.push(p);
    }
    for (const joined of segments.filter((g) => g.length > 1)) {
      const d = joined.map((p, i) => `${i ? 'L' : 'M'}${x(p.version).toFixed(1)},${y(panel.value(p)!).toFixed(1)}`).join(' ');
      parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    for (const p of pts) {
      const value = panel.value(p);
      if (value === null) continue;
      const here = onLine(p);
      const iv = passInterval(p);
      const ci = iv ? ` (95% CI ${ciRange(iv)} over ${p.cases} cases)` : '';
      const rate = shownPassRate(p);
      const p95 = shownP95(p);
      const label = `${s.suite} @ ${p.version}${s.model === undefined ? '' : `:${s.model}`}: ${rate === null ? 'no pass rate (incomplete: no case judged, or cases not run)' : `pass rate ${pct(rate)}`}${ci}, ${p95 === null ? 'no p95 (no request answered)' : `p95 ${msLabel(p95)}`}${p.inProject === false ? ' (not in this checkout: recorded in the registry only)' : p.earlierContent ? ' (of an earlier content of this version: its file changed since, and no run is of its content now)' : ''}`;
      const bar = panel.bar?.(p);
      if (bar) {
        const xx = x(p.version);
        const [y1, y2] = [y(bar[0]), y(bar[1])].map((v) => v.toFixed(1));
        const caps = `M${(xx - 3).toFixed(1)},${y1} L${(xx + 3).toFixed(1)},${y1} M${(xx - 3).toFixed(1)},${y2} L${(xx + 3).toFixed(1)},${y2}`;
        parts.push(`<path class="ci-bar" d="M${xx.toFixed(1)},${y1} L${xx.toFixed(1)},${y2} ${caps}" fill="none" stroke="${color}"><title>${escapeHtml(label)}</title></path>`);
      }
      const paint = here ? `fill="${color}"` : `class="away" fill="#fff" stroke="${color}" stroke-width="1.5"`;
      parts.push(marker(si, x(p.version), y(value), highlight.has(p.version) ? 5 : 3.5, paint, `<title>${escapeHtml(label)}</title>`));
    }
  });
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(`${panel.title} by version; the numbers are in the table below`)}">${parts.join('')}</svg>`;
}

/** A point the series' line joins: a version in this checkout, measured on its content now. */
function onLine(p: HistoryPoint): boolean {
  return p.inProject !== false && !p.earlierContent;
}

/** Versions in semver order (oldest first); anything that is not semver goes last, as given. */
function orderedVersions(series: HistorySeries[]): string[] {
  const all = [...new Set(series.flatMap((s) => s.points.map((p) => p.version)))];
  try {
    return sortVersionsDesc(all).reverse();
  } catch {
    return all;
  }
}

/** One figure per prompt: pass rate and p95 latency side by side, with a legend of suites. */
export function versionCharts(history: HistorySeries[], highlightVersions: string[] = []): string {
  const prompts = [...new Set(history.map((s) => s.promptId))];
  const highlight = new Set(highlightVersions);
  return prompts
    .map((promptId) => {
      const series = history.filter((s) => s.promptId === promptId && s.points.length);
      if (!series.length) return '';
      const versions = orderedVersions(series);
      const maxP95 = Math.max(0, ...series.flatMap((s) => s.points.map((p) => shownP95(p) ?? 0)));
      // A version is "away" when none of its points is in this checkout.
      const away = new Set(versions.filter((v) => series.every((s) => s.points.every((p) => p.version !== v || p.inProject === false))));
      const bar = (p: HistoryPoint): [number, number] | null => {
        const iv = passInterval(p);
        return iv ? [iv.lower * 100, iv.upper * 100] : null;
      };
      const pass = panelSvg({ title: 'Pass rate (cases), 95% interval bars', value: (p) => { const r = shownPassRate(p); return r === null ? null : r * 100; }, max: 100, tick: (v) => `${v}%`, bar }, series, versions, highlight, away);
      const p95 = panelSvg({ title: 'p95 latency', value: shownP95, max: maxP95, tick: msLabel }, series, versions, highlight, away);
      const awayNote = away.size
        ? `; hollow dots and grey italic labels: ${away.size} version${away.size === 1 ? '' : 's'} recorded in the registry but not in this checkout (${[...away].map(escapeHtml).join(', ')}), left off the lines`
        : '';
      const earlier = [...new Set(series.flatMap((s) => s.points.filter((p) => p.earlierContent).map((p) => p.version)))];
      const earlierNote = earlier.length ? `; hollow dots on ${earlier.map(escapeHtml).join(', ')}: runs of an earlier content of ${earlier.length === 1 ? 'that version' : 'those versions'} (edited since, not run as ${earlier.length === 1 ? 'it is' : 'they are'} now), left off the lines` : '';
      // Said, not left to a missing dot: the latest run stands for its version, not an older judged one.
      const unmeasured = versions.filter((v) => series.some((s) => s.points.some((p) => p.version === v && shownPassRate(p) === null)));
      const gapNote = unmeasured.length ? `; a gap at ${unmeasured.map(escapeHtml).join(', ')}: the latest run is incomplete with no pass rate (no case judged, or cases not run), not 0%` : '';
      const legend = series.map((s, i) => `<li>${legendMark(i)}${escapeHtml(seriesName(s))}</li>`).join('');
      return `<figure class="chart-figure"><figcaption>${escapeHtml(promptId)} — ${versions.length} version${versions.length === 1 ? '' : 's'} with finished runs (latest run per suite${series.some((s) => s.model !== undefined) ? ' and model' : ''}; larger dots are in this report${awayNote}${earlierNote}${gapNote})</figcaption><div class="charts">${pass}${p95}</div><ul class="legend">${legend}</ul>${chartTable(promptId, series, versions)}</figure>`;
    })
    .join('');
}
