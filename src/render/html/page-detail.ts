/**
 * The page script's opened case (inlined into PAGE_SCRIPT, page-script.ts, whose helpers it uses):
 * its inputs (a conversation's turns too), expectations, why it failed, a conversation's earlier replies
 * and its output, or in a comparison both sides with a word
 * diff. Headings go one level below the Cases section's h2: h3, and h4 inside a comparison's side.
 */
export const DETAIL_SCRIPT = String.raw`function reasonList(s) {
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
// The pass rate its verdict weighs (core/eval/intervals.ts caseVerdictRate: an errored sample is not a pass), the
// errored samples counted beside it, and its interval over the same samples; a case not run has none.
function stats(s) {
  var rate = s.verdict === 'not-run' ? 'no pass rate' : 'pass rate ' + (s.shown ? s.shown.value : pct(s.passRate));
  var k = s.sampleCounts, counts = k ? ' · ' + k.passed + ' of ' + k.of + ' samples passed, ' + k.errored + ' errored' : '';
  return rate + ' (needs ' + (s.shown ? s.shown.limit : pct(s.minPassRate)) + ')' + counts + (s.passRateCi ? ' · 95% CI ' + s.passRateCi : '') + ' · latency ' + ms(s.latencyMs) + ' · ' + num(s.tokensOut) + ' output tokens';
}
function samplesBlock(s, level) {
  if (!s.samples) return null;
  var box = add(el('div'), el(level, null, 'All ' + s.samples.length + ' samples'));
  // Numbered by each sample's own number, as the terminal and JUnit name it.
  s.samples.forEach(function (x) {
    var hdr = add(el('div', 'hdr'), document.createTextNode('#' + x.sample + ' '), badge(x.verdict), document.createTextNode(' ' + ms(x.latencyMs) + ' · ' + x.tokensOut + ' tokens' + (x.leaks ? ' · leaked: ' + x.leaks.join(', ') : '') + (x.error ? ' · ' + x.error : '')));
    add(box, add(el('div', 'sample'), hdr, replyList(x), el('pre', null, ans(x))));
  });
  return box;
}
// A conversation's earlier replies, named as reasons name them (assistant turn 1), each with its tool calls.
function replyList(s) {
  if (!s.turns || !s.turns.length) return null;
  var box = el('div', 'replies');
  s.turns.forEach(function (t, i) { add(box, el('div', 'hdr mono', 'assistant turn ' + (i + 1)), el('pre', null, ans(t) || '(empty reply)')); });
  return box;
}
function repliesBlock(s, level) {
  var list = replyList(s);
  return list && add(el('div'), el(level, null, 'Earlier replies (the conversation\'s turns before the output)'), list);
}
function inputsBlock(c) {
  if (!c.inputs || !c.inputs.length) return null;
  var dl = el('dl', 'inputs');
  c.inputs.forEach(function (x) { add(dl, el('dt', 'mono', x.name), add(el('dd'), el('pre', null, x.value))); });
  return add(el('div'), el('h3', null, 'Inputs'), dl);
}
function messagesBlock(c, r, s) {
  var run = D.runs[r];
  if (!run || !run.messages) return null;
  // A Map, not an object: a variable named toString, constructor or __proto__ is a name like any other
  // (core/own-key.ts), never Object.prototype's function; one no case sets is sent empty, and shown so.
  var vals = new Map(); (c.inputs || []).forEach(function (x) { vals.set(x.name, x.value); });
  var box = add(el('details', 'messages'), el('summary', null, 'Rendered messages' + (run.kind === 'adversarial' ? ' (the canary line planted in the system message is not shown)' : '')));
  run.messages.forEach(function (m) {
    var text = m.parts.map(function (p) { return typeof p === 'string' ? p : vals.has(p.v) ? vals.get(p.v) : ''; }).join('');
    add(box, el('div', 'hdr mono', m.role), el('pre', null, text));
  });
  // A conversation's turns follow the prompt: the case's own, and the model's reply (this side's) in each open one.
  var k = 0;
  (c.turns || []).forEach(function (t) {
    var reply = t.content === undefined ? (s.turns || [])[k++] : null;
    add(box, el('div', 'hdr mono', t.role + (t.content === undefined ? ' (the model\'s reply, assistant turn ' + k + ')' : '')), el('pre', null, reply ? ans(reply) : t.content !== undefined ? t.content : '(no reply recorded)'));
  });
  return box;
}
function expectationsBlock(c) {
  if (!c.expectations.length) return null;
  var ul = el('ul'); c.expectations.forEach(function (x) { ul.appendChild(el('li', 'mono', x)); });
  return add(el('div'), el('h3', null, 'Expectations'), ul);
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
    add(box, messagesBlock(c, c.run, c.a));
    add(box, el('h3', null, c.a.verdict === 'pass' || c.a.verdict === 'not-run' ? 'Verdict' : 'Why it failed'), add(el('div'), badge(c.a.verdict), document.createTextNode(' ' + stats(c.a))), reasonList(c.a),
      repliesBlock(c.a, 'h3'), el('h3', null, c.a.shownFrom ? 'Output shown (' + c.a.shownFrom + ')' : 'Output'), el('pre', null, ans(c.a) || '(empty output)'), samplesBlock(c.a, 'h3'));
    return box;
  }
  var oa = ans(c.a), ob = ans(c.b), diff = oa === ob ? null : wordDiff(oa, ob);
  var note = oa === ob ? (c.change === 'identical' ? 'The two outputs are identical.' : 'The two outputs differ only in redacted values (personal data, keys, canaries).') : diff ? 'Word diff: removed words are struck through on the left, added words underlined on the right.' : 'The outputs differ too much for a word diff; both are shown as they are.';
  var sides = el('div', 'sides');
  [['a', D.comparison.a, -1, 'del'], ['b', D.comparison.b, 1, 'ins']].forEach(function (x) {
    var s = c[x[0]];
    add(sides, add(el('div', 'side side-' + x[0]), el('h3', null, x[1]), add(el('div'), badge(s.verdict), document.createTextNode(' ' + stats(s))), reasonList(s),
      repliesBlock(s, 'h4'), el('h4', null, 'Output'), diff ? diffPre(diff, x[2], x[3]) : el('pre', null, ans(s) || '(empty output)'), samplesBlock(s, 'h4'), messagesBlock(c, D.comparison.groups[c.run][x[0]], s)));
  });
  add(box, el('p', 'note', note), sides);
  return box;
}`;
