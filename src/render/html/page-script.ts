import { decodeCase } from './compact.js';
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
// Runs on several models are named with theirs (version:model), as the runs table (sections.ts, severalModels).
var manyModels = new Set(D.runs.map(function (r) { return r.model; })).size > 1;
function groupLabel(i) { if (cmp) return D.comparison.groups[i].suite; var r = D.runs[i]; return (onePrompt ? r.version : r.promptId + '@' + r.version) + (manyModels ? ':' + r.model : '') + ' · ' + r.suite; }
var VERDICTS = [['all', 'All'], ['fail', 'Failed'], ['error', 'Errors'], ['not-run', 'Not run'], ['pass', 'Passed']];
var CHANGES = [['all', 'All'], ['regression', 'Regressions'], ['fix', 'Fixes'], ['changed', 'Other verdict changes'], ['same-verdict', 'Output changed'], ['identical', 'Identical']];
var groups = cmp ? D.comparison.groups.length : D.runs.length;
var multiRun = groups > 1;
// What the filters read, kept per case; the rest is decoded again when drawn.
var meta = new Array(N), hasInputs = false, catSet = new Set();
for (var mi = 0; mi < N; mi++) {
  var mc0 = caseAt(mi); meta[mi] = { run: mc0.run, category: mc0.category, v: vOf(mc0), change: mc0.change };
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
  var c = caseAt(i), tr = el('tr', 'row'); tr.tabIndex = 0; tr.dataset.index = String(i); tr.setAttribute('aria-expanded', String(open.has(i)));
  if (multiRun) tr.appendChild(el('td', 'nowrap', groupLabel(c.run)));
  var idCell = add(el('td', 'case-id'), el('span', 'mono', c.caseId), c.category ? el('span', 'cat', c.category) : null);
  tr.appendChild(idCell);
  if (hasInputs) { var inp = inputsLine(c); tr.appendChild(el('td', 'preview input', oneLine(inp, 160))).title = oneLine(inp, 1000); }
  if (cmp) {
    add(tr, add(el('td'), badge(c.change, 'c')), add(el('td', 'nowrap'), badge(c.a.verdict), document.createTextNode(' → '), badge(c.b.verdict)),
      el('td', 'preview', oneLine(ans(c.a), 200)), el('td', 'preview', oneLine(ans(c.b), 200)));
  } else {
    var why = whyText(c.a);
    add(tr, add(el('td'), badge(c.a.verdict)), el('td', 'num', pct(c.a.passRate) + (c.a.samples ? ' of ' + c.a.samples.length : '')), el('td', 'why', why), el('td', 'preview', oneLine(ans(c.a), 200)));
    tr.lastChild.previousSibling.title = why;
  }
  tr.addEventListener('click', function () { toggle(i); });
  tr.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); toggle(i); } });
  return tr;
}
function toggle(i) { if (open.has(i)) open.delete(i); else open.add(i); draw(i); }
function draw(focus) {
  var body = $('cases-body'), start = st.page * PAGE, end = Math.min(matches.length, start + PAGE);
  body.textContent = '';
  if (!matches.length) { var td = el('td', 'empty', 'No case matches these filters.'); td.colSpan = NCOLS; add(body, add(el('tr'), td)); }
  for (var k = start; k < end; k++) {
    var i = matches[k], tr = row(i); body.appendChild(tr);
    if (open.has(i)) { var d = el('tr', 'detail'), cell = el('td'); cell.colSpan = NCOLS; add(body, add(d, add(cell, detail(caseAt(i))))); }
    if (focus === i) tr.focus();
  }
  var mc = $('match-count');
  mc.dataset.count = String(matches.length);
  mc.textContent = matches.length ? 'Showing ' + num(start + 1) + '–' + num(end) + ' of ' + num(matches.length) + ' matching case' + (matches.length === 1 ? '' : 's') + (matches.length < N ? ' (' + num(N) + ' in all)' : '') : 'No matching cases (' + num(N) + ' in all)';
  pager($('pager')); pager($('pager-bottom'));
}
function reasonList(s) {
  var ul = el('ul');
  if (s.error) add(ul, add(el('li', 'reason'), el('b', null, 'error'), document.createTextNode(': ' + s.error)));
  s.reasons.forEach(function (r) {
    var li = add(el('li', 'reason'), el('b', null, r.expectation), document.createTextNode(': ' + r.message + (s.samples && s.samples.length > 1 ? ' (' + r.count + ' of ' + s.samples.length + ' samples)' : '')));
    if (r.expected !== undefined) li.appendChild(el('span', 'ea', 'expected: ' + r.expected));
    if (r.actual !== undefined) li.appendChild(el('span', 'ea', 'actual: ' + r.actual));
    ul.appendChild(li);
  });
  if (!ul.childNodes.length) ul.appendChild(el('li', null, s.verdict === 'pass' ? 'Every expectation held.' : s.verdict === 'not-run' ? 'Not run (the run stopped before this case).' : 'No reason recorded.'));
  return ul;
}
function stats(s) { return 'pass rate ' + pct(s.passRate) + ' (needs ' + pct(s.minPassRate) + ')' + (s.passRateCi ? ' · 95% CI ' + s.passRateCi : '') + ' · latency ' + ms(s.latencyMs) + ' · ' + num(s.tokensOut) + ' output tokens'; }
function samplesBlock(s) {
  if (!s.samples) return null;
  var box = add(el('div'), el('h4', null, 'All ' + s.samples.length + ' samples'));
  s.samples.forEach(function (x, n) {
    var hdr = add(el('div', 'hdr'), document.createTextNode('#' + (n + 1) + ' '), badge(x.verdict), document.createTextNode(' ' + ms(x.latencyMs) + ' · ' + x.tokensOut + ' tokens' + (x.leaks ? ' · leaked: ' + x.leaks.join(', ') : '') + (x.error ? ' · ' + x.error : '')));
    add(box, add(el('div', 'sample'), hdr, el('pre', null, ans(x))));
  });
  return box;
}
function inputsBlock(c) {
  if (!c.inputs || !c.inputs.length) return null;
  var dl = el('dl', 'inputs');
  c.inputs.forEach(function (x) { add(dl, el('dt', 'mono', x.name), add(el('dd'), el('pre', null, x.value))); });
  return add(el('div'), el('h4', null, 'Inputs'), dl);
}
function messagesBlock(c, r) {
  var run = D.runs[r];
  if (!run || !run.messages) return null;
  var vals = {}; (c.inputs || []).forEach(function (x) { vals[x.name] = x.value; });
  var box = add(el('details', 'messages'), el('summary', null, 'Rendered messages' + (run.kind === 'adversarial' ? ' (the canary line planted in the system message is not shown)' : '')));
  run.messages.forEach(function (m) {
    var text = m.parts.map(function (p) { return typeof p === 'string' ? p : vals[p.v] !== undefined ? vals[p.v] : ''; }).join('');
    add(box, el('div', 'hdr mono', m.role), el('pre', null, text));
  });
  return box;
}
function expectationsBlock(c) {
  if (!c.expectations.length) return null;
  var ul = el('ul'); c.expectations.forEach(function (x) { ul.appendChild(el('li', 'mono', x)); });
  return add(el('div'), el('h4', null, 'Expectations'), ul);
}
function diffPre(parts, keep, mark) {
  var pre = el('pre');
  parts.forEach(function (p) { if (p[0] === 0) pre.appendChild(document.createTextNode(p[1])); else if (p[0] === keep) pre.appendChild(el(mark, null, p[1])); });
  return pre;
}
function detail(c) {
  var box = el('div', 'detail');
  add(box, add(el('div', 'hdr mono'), document.createTextNode(groupLabel(c.run) + ' / ' + c.caseId)), inputsBlock(c), expectationsBlock(c));
  if (!cmp) {
    add(box, messagesBlock(c, c.run));
    add(box, el('h4', null, c.a.verdict === 'pass' ? 'Verdict' : 'Why it failed'), add(el('div'), badge(c.a.verdict), document.createTextNode(' ' + stats(c.a))), reasonList(c.a),
      el('h4', null, c.a.samples ? 'Output shown (first failing sample)' : 'Output'), el('pre', null, ans(c.a) || '(empty output)'), samplesBlock(c.a));
    return box;
  }
  var oa = ans(c.a), ob = ans(c.b), diff = oa === ob ? null : wordDiff(oa, ob);
  var note = oa === ob ? (c.change === 'identical' ? 'The two outputs are identical.' : 'The two outputs differ only in redacted values (personal data, keys, canaries).') : diff ? 'Word diff: removed words are struck through on the left, added words underlined on the right.' : 'The outputs differ too much for a word diff; both are shown as they are.';
  var sides = el('div', 'sides');
  [['a', D.comparison.a, -1, 'del'], ['b', D.comparison.b, 1, 'ins']].forEach(function (x) {
    var s = c[x[0]];
    add(sides, add(el('div', 'side side-' + x[0]), add(el('h4'), document.createTextNode(x[1] + ' ')), add(el('div'), badge(s.verdict), document.createTextNode(' ' + stats(s))), reasonList(s),
      el('h4', null, 'Output'), diff ? diffPre(diff, x[2], x[3]) : el('pre', null, ans(s) || '(empty output)'), samplesBlock(s), messagesBlock(c, D.comparison.groups[c.run][x[0]])));
  });
  add(box, el('h4', null, note), sides);
  return box;
}
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
  apply(true);
  document.body.dataset.ready = '1';
  window.__reportReadyMs = performance.now();
}
init();
})();`;
