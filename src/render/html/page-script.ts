import { decodeCase } from './compact.js';
import { DETAIL_SCRIPT } from './page-detail.js';
import { wordDiff } from './word-diff.js';

/**
 * The report's only script, inlined. It reads the JSON data element, whose cases are in the compact
 * form (compact.ts): a case is decoded when a row, its detail or its search text needs it (a page at a
 * time), after one pass that keeps only what the filters read. It filters and searches in memory and
 * draws one page of 100 rows at a time (paging keeps 10,000 cases as fast as 100: the
 * DOM never holds more than a page). Every piece of data is drawn with textContent; nothing is ever
 * parsed as HTML. The word diff runs only when a comparison case is opened.
 */
export const PAGE_SCRIPT = String.raw`(function () {
'use strict';
var D = JSON.parse(document.getElementById('report-data').textContent);
var wordDiff = ${wordDiff.toString()};
var decodeCase = ${decodeCase.toString()};
var PAGE = 100, cmp = D.kind === 'compare', chunks = D.cases, ck = [], cr = [];
chunks.forEach(function (ch, k) { for (var r = 0; r < ch.c.length; r++) { ck.push(k); cr.push(r); } });
var N = ck.length;
function caseAt(i) { return decodeCase(chunks[ck[i]], cr[i]); }
var st = { verdict: 'all', change: 'all', run: 'all', category: 'all', q: '', page: 0 };
var open = new Set(), hay = null, matches = [];
var $ = function (id) { return document.getElementById(id); };
function el(tag, cls, text) { var n = document.createElement(tag); if (cls) n.className = cls; if (text !== undefined && text !== null) n.textContent = String(text); return n; }
function add(parent) { for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]); return parent; }
function pct(x) { if (x === 1 || x === 0) return (x * 100) + '%'; return (Math.floor(x * 1000 + 1e-6) / 10).toFixed(1) + '%'; } // truncated, as core/percent.ts
function ms(x) { return x === null || x === undefined ? '–' : x < 1000 ? Math.round(x) + 'ms' : (x / 1000).toFixed(2) + 's'; }
function num(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ','); }
function oneLine(s, max) { var t = s.length > max * 2 ? s.slice(0, max * 2) : s; t = t.replace(/\s+/g, ' ').trim(); return t.length > max ? t.slice(0, max - 1) + '…' : t; }
function badge(v, prefix) { return el('span', 'badge ' + (prefix || 'v') + '-' + v, v.replace('-', ' ')); }
function vOf(c) { return cmp ? c.b.verdict : c.a.verdict; }
var onePrompt = new Set(D.runs.map(function (r) { return r.promptId; })).size === 1;
// Runs on several models are named with theirs (version:model), and a run that is not a full run
// with its tag, as the runs table (sections.ts, runName).
var manyModels = new Set(D.runs.map(function (r) { return r.model; })).size > 1;
function groupLabel(i) { if (cmp) return D.comparison.groups[i].suite; var r = D.runs[i]; return (onePrompt ? r.version : r.promptId + '@' + r.version) + (manyModels ? ':' + r.model : '') + (r.tag ? ' [' + r.tag + ']' : '') + ' · ' + r.suite; }
var VERDICTS = [['all', 'All'], ['fail', 'Failed'], ['error', 'Errors'], ['not-run', 'Not run'], ['pass', 'Passed']];
var CHANGES = [['all', 'All'], ['regression', 'Regressions'], ['fix', 'Fixes'], ['changed', 'Other verdict changes'], ['same-verdict', 'Output changed'], ['unanswered', 'No answer either side'], ['identical', 'Identical']];
// A case with no answer on either side is classified with the changed outputs but counted apart (as compare counts it).
function changeOf(c) { return c.unanswered ? 'unanswered' : c.change; }
var groups = cmp ? D.comparison.groups.length : D.runs.length;
var multiRun = groups > 1;
// What the filters read, kept per case; the rest is decoded again when drawn.
var meta = new Array(N), hasInputs = false, catSet = new Set();
for (var mi = 0; mi < N; mi++) {
  var mc0 = caseAt(mi); meta[mi] = { run: mc0.run, category: mc0.category, v: vOf(mc0), change: changeOf(mc0) };
  if (mc0.inputs && mc0.inputs.length) hasInputs = true;
  if (mc0.category) catSet.add(mc0.category);
}
function inputsLine(c) { return (c.inputs || []).map(function (x) { return x.name + ': ' + x.value; }).join(' · '); }
var categories = Array.from(catSet).sort();

function buttons(box, list, key, label) {
  if (label) box.appendChild(el('span', null, label)).style.cssText = 'padding:5px 8px;color:#6b7280;font-size:12.5px;border-right:1px solid #e5e7eb';
  list.forEach(function (p) {
    var b = el('button'); b.type = 'button'; b.dataset[key] = p[0]; b.setAttribute('aria-pressed', String(st[key] === p[0]));
    add(b, el('span', 'l', p[1]), el('span', 'n', ''));
    b.addEventListener('click', function () { st[key] = p[0]; apply(true); });
    box.appendChild(b);
  });
}
function options(sel, list) { list.forEach(function (p) { var o = el('option', null, p[1]); o.value = p[0]; sel.appendChild(o); }); }
// An answer as shown: its tool calls (→ name(arguments)), one a line, above its text.
function ans(s) { var k = (s.toolCalls || []).map(function (t) { return '→ ' + t.name + '(' + t.arguments + ')'; }).join('\n'); return k && s.output ? k + '\n' + s.output : k || s.output; }
function sideText(s) { return ans(s) + ' ' + s.reasons.map(function (r) { return r.expectation + ' ' + r.message; }).join(' ') + ' ' + (s.error || ''); }
function haystack(i) {
  if (!hay) hay = new Array(N);
  if (hay[i] === undefined) { var c = caseAt(i); hay[i] = (c.suite + ' ' + c.caseId + ' ' + (c.category || '') + ' ' + inputsLine(c) + ' ' + sideText(c.a) + ' ' + (c.b ? sideText(c.b) : '')).toLowerCase(); }
  return hay[i];
}
function apply(reset) {
  var vc = {}, cc = {}, q = st.q.toLowerCase(), runSel = st.run === 'all' ? -1 : Number(st.run);
  VERDICTS.forEach(function (p) { vc[p[0]] = 0; }); CHANGES.forEach(function (p) { cc[p[0]] = 0; });
  matches = [];
  for (var i = 0; i < N; i++) {
    var c = meta[i];
    if (runSel >= 0 && c.run !== runSel) continue;
    if (st.category !== 'all' && c.category !== st.category) continue;
    if (q && haystack(i).indexOf(q) < 0) continue;
    var v = c.v, vOk = st.verdict === 'all' || v === st.verdict, cOk = !cmp || st.change === 'all' || c.change === st.change;
    if (cOk) { vc.all++; vc[v]++; }
    if (vOk && cmp) { cc.all++; cc[c.change]++; }
    if (vOk && cOk) matches.push(i);
  }
  if (reset) { st.page = 0; open.clear(); }
  var pages = Math.max(1, Math.ceil(matches.length / PAGE));
  if (st.page >= pages) st.page = pages - 1;
  [['verdict-filter', vc, 'verdict'], ['change-filter', cc, 'change']].forEach(function (x) {
    Array.prototype.forEach.call($(x[0]).querySelectorAll('button'), function (b) {
      var k = b.dataset[x[2]]; b.setAttribute('aria-pressed', String(st[x[2]] === k)); b.querySelector('.n').textContent = num(x[1][k] || 0);
    });
  });
  draw();
}
// The pager's buttons are made once and updated, so a keyboard user's focus stays on the button
// they pressed; when that one is disabled (first or last page), focus goes to its partner.
function pager(box) {
  var pages = Math.max(1, Math.ceil(matches.length / PAGE)), b = box.buttons;
  if (!b) {
    b = box.buttons = { prev: el('button', null, '‹ Prev'), of: el('span', 'page-of'), next: el('button', null, 'Next ›') };
    b.prev.type = b.next.type = 'button';
    b.prev.addEventListener('click', function () { turn(-1, b.prev, b.next); });
    b.next.addEventListener('click', function () { turn(1, b.next, b.prev); });
    add(box, b.prev, b.of, b.next);
  }
  b.prev.disabled = st.page === 0; b.next.disabled = st.page >= pages - 1;
  b.of.textContent = 'Page ' + (st.page + 1) + ' of ' + pages;
}
function turn(by, pressed, partner) { st.page += by; open.clear(); draw(); if (pressed.disabled) partner.focus(); }
function head() {
  var input = hasInputs ? ['Input'] : [];
  var cols = cmp ? (multiRun ? ['Suite'] : []).concat(['Case'], input, ['Change', 'Verdicts ' + D.comparison.a + ' → ' + D.comparison.b, 'Output ' + D.comparison.a, 'Output ' + D.comparison.b])
    : (multiRun ? ['Run'] : []).concat(['Case'], input, ['Verdict', 'Pass rate', 'Why', 'Output']);
  var tr = el('tr'); cols.forEach(function (t) { tr.appendChild(el('th', null, t)); });
  $('cases-head').textContent = ''; $('cases-head').appendChild(tr);
  return cols.length;
}
var NCOLS = 0;
function whyText(s) {
  if (s.error && s.verdict === 'error') return 'error: ' + s.error;
  if (!s.reasons.length) return s.verdict === 'not-run' ? 'not run' : '';
  var r = s.reasons[0]; return r.expectation + ': ' + r.message + (s.reasons.length > 1 ? ' (+' + (s.reasons.length - 1) + ' more)' : '');
}
function row(i) {
  var c = caseAt(i), tr = el('tr', 'row' + (open.has(i) ? ' open' : '')); tr.dataset.index = String(i);
  if (multiRun) tr.appendChild(el('td', 'nowrap', groupLabel(c.run)));
  // The case id is the button that opens the case (a screen reader says expanded or collapsed); a
  // click anywhere on the row opens it too, as the button's click bubbles to the row.
  var opener = el('button', 'mono', c.caseId); opener.type = 'button'; opener.setAttribute('aria-expanded', String(open.has(i))); opener.setAttribute('aria-controls', 'detail-' + i);
  var idCell = add(el('td', 'case-id'), opener, c.category ? el('span', 'cat', c.category) : null);
  tr.appendChild(idCell);
  if (hasInputs) { var inp = inputsLine(c); tr.appendChild(el('td', 'preview input', oneLine(inp, 160))).title = oneLine(inp, 1000); }
  if (cmp) {
    add(tr, add(el('td'), badge(changeOf(c), 'c')), add(el('td', 'nowrap'), badge(c.a.verdict), document.createTextNode(' → '), badge(c.b.verdict)),
      el('td', 'preview', oneLine(ans(c.a), 200)), el('td', 'preview', oneLine(ans(c.b), 200)));
  } else {
    var why = whyText(c.a);
    add(tr, add(el('td'), badge(c.a.verdict)), el('td', 'num', (c.a.verdict === 'not-run' ? '–' : pct(c.a.passRate)) + (c.a.samples ? ' of ' + c.a.samples.length : '')), el('td', 'why', why), el('td', 'preview', oneLine(ans(c.a), 200)));
    tr.lastChild.previousSibling.title = why;
  }
  tr.addEventListener('click', function () { toggle(i); });
  return tr;
}
function toggle(i) { if (open.has(i)) open.delete(i); else open.add(i); draw(i); }
// While printing, every matching case is drawn (a printout has no pager), then the page again.
var printing = false;
function draw(focus) {
  var body = $('cases-body'), start = printing ? 0 : st.page * PAGE, end = printing ? matches.length : Math.min(matches.length, start + PAGE);
  body.textContent = '';
  if (!matches.length) { var td = el('td', 'empty', 'No case matches these filters.'); td.colSpan = NCOLS; add(body, add(el('tr'), td)); }
  for (var k = start; k < end; k++) {
    var i = matches[k], tr = row(i); body.appendChild(tr);
    if (open.has(i)) { var d = el('tr', 'detail'), cell = el('td'); d.id = 'detail-' + i; cell.colSpan = NCOLS; add(body, add(d, add(cell, detail(caseAt(i))))); }
    if (focus === i) tr.querySelector('button').focus();
  }
  var mc = $('match-count');
  mc.dataset.count = String(matches.length);
  mc.textContent = matches.length ? 'Showing ' + num(start + 1) + '–' + num(end) + ' of ' + num(matches.length) + ' matching case' + (matches.length === 1 ? '' : 's') + (matches.length < N ? ' (' + num(N) + ' in all)' : '') : 'No matching cases (' + num(N) + ' in all)';
  pager($('pager')); pager($('pager-bottom'));
}
${DETAIL_SCRIPT}
function init() {
  // Every count is at most N: sized for N's digits, the filter buttons keep their width as counts
  // change, so a click made while a search applies still lands on the button it aimed at.
  document.documentElement.style.setProperty('--count-width', num(N).length + 'ch');
  var vf = $('verdict-filter'); buttons(vf, VERDICTS, 'verdict', cmp ? 'Verdict on ' + D.comparison.b : null);
  if (cmp) { var cf = $('change-filter'); cf.hidden = false; buttons(cf, CHANGES, 'change', null); }
  var rs = $('run-filter');
  if (multiRun) { options(rs, [['all', cmp ? 'All suites' : 'All runs']].concat(Array.from({ length: groups }, function (_, i) { return [String(i), groupLabel(i)]; }))); rs.addEventListener('change', function () { st.run = rs.value; apply(true); }); }
  else rs.hidden = true;
  var cs = $('category-filter');
  if (categories.length) { cs.hidden = false; options(cs, [['all', 'All categories']].concat(categories.map(function (x) { return [x, x]; }))); cs.addEventListener('change', function () { st.category = cs.value; apply(true); }); }
  var timer = 0, search = $('search');
  search.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { st.q = search.value.trim(); apply(true); }, N > 2000 ? 150 : 60); });
  NCOLS = head();
  window.addEventListener('beforeprint', function () { printing = true; draw(); });
  window.addEventListener('afterprint', function () { printing = false; draw(); });
  apply(true);
  document.body.dataset.ready = '1';
  window.__reportReadyMs = performance.now();
}
init();
})();`;
