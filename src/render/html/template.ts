import { createHash } from 'node:crypto';
import { chunksOf, encodeCases } from './compact.js';
import { escapeHtml as e, jsonForScript } from './escape.js';
import type { ReportData } from './model.js';
import { PAGE_SCRIPT } from './page-script.js';
import { scrollRegion } from './region.js';
import { adversarialTable, baselinesTable, historySection, notesList, runsTable, summaryCards } from './sections.js';
import { STYLES } from './styles.js';

/**
 * The whole report as one self-contained HTML file: inline CSS, inline SVG, the data as JSON in a
 * non-executable script element, and one inline script that draws the case table. The CSP allows
 * nothing else: no network, no external asset, no plugin, no form, no `<base>`, and of scripts only
 * that one, pinned by its SHA-256 (`PAGE_SCRIPT` is fixed for a build: hashed once, as it is inlined),
 * so a script that escaped into the page would not run even if escaping failed. Styles stay
 * 'unsafe-inline': the markup colours with `style` attributes, which a hash cannot allow.
 */

/** `'sha256-…'`, the CSP source of exactly `script`'s text as an inline script element holds it. */
export function scriptHashSource(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}

export const CSP = `default-src 'none'; script-src ${scriptHashSource(PAGE_SCRIPT)}; style-src 'unsafe-inline'; object-src 'none'; base-uri 'none'; form-action 'none'`;

function header(d: ReportData): string {
  const meta = [
    d.kind === 'compare' ? 'comparison' : `${d.invocations.length === 1 ? 'invocation' : 'invocations'} ${d.invocations.map((i) => i.slice(0, 8)).join(', ')}`,
    `model ${d.model || '–'}`,
    `server ${d.server || '–'}`,
    `generated ${d.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}`,
    `promptctl ${d.promptctlVersion}`,
  ];
  return `<header><h1>${e(d.title)}</h1><div class="meta">${meta.map((m) => `<span>${e(m)}</span>`).join('')}</div>${notesList(d)}</header>`;
}

function casesSection(d: ReportData): string {
  const what = d.kind === 'compare' ? `${d.comparison!.a} and ${d.comparison!.b} side by side; changed verdicts first; click a case for its outputs and a word diff` : 'click a case for its expectations, why it failed and its output';
  return `<section id="cases-section"><h2>Cases <small>${e(what)}</small></h2>
<div class="controls" id="controls">
  <div class="seg" id="verdict-filter" role="group" aria-label="Filter by verdict"></div>
  <div class="seg" id="change-filter" role="group" aria-label="Filter by change" hidden></div>
  <select id="run-filter" aria-label="Filter by run"></select>
  <select id="category-filter" aria-label="Filter by attack category" hidden></select>
  <input type="search" id="search" placeholder="Search case ids, outputs, reasons…" aria-label="Search cases">
</div>
<div class="status-line"><span id="match-count" role="status" data-count="0">Loading cases…</span><span class="pager" id="pager"></span></div>
${scrollRegion('Cases', '<table id="cases"><thead id="cases-head"></thead><tbody id="cases-body"><tr><td class="empty">Loading cases…</td></tr></tbody></table>', 'cases-scroll')}
<div class="status-line"><span></span><span class="pager" id="pager-bottom"></span></div>
</section>`;
}

export function renderHtml(d: ReportData): string {
  const [head, tail] = renderHtmlAround(d);
  return `${head}${chunksOf(d.cases).map((chunk) => jsonForScript(encodeCases(chunk))).join(',')}${tail}`;
}

/** The page before and after the items of its `cases` array (chunks of cases in the compact form), so they can be written one page at a time (`d.cases` is left out). */
export function renderHtmlAround(d: ReportData): [string, string] {
  const html = renderPage({ ...d, cases: [] });
  // In JSON text, `"cases":[]` can only be the key: a quote inside a string is escaped.
  const at = html.indexOf('"cases":[]') + '"cases":['.length;
  return [html.slice(0, at), html.slice(at)];
}

function renderPage(d: ReportData): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(CSP)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="promptctl ${e(d.promptctlVersion)}">
<title>${e(d.title)}</title>
<style>${STYLES}</style>
</head>
<body data-kind="${e(d.kind)}">
<main>
${header(d)}
${summaryCards(d)}
${runsTable(d)}
${adversarialTable(d)}
${baselinesTable(d)}
${historySection(d)}
${casesSection(d)}
<footer>Written by promptctl ${e(d.promptctlVersion)}. This file is self-contained: it loads nothing and sends nothing. Outputs are shown as text, never run.</footer>
</main>
<script type="application/json" id="report-data">${jsonForScript(d)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
