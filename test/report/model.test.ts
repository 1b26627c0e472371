import { describe, expect, it } from 'vitest';
import { versionCharts } from '../../src/render/html/chart.js';
import { decodeReportData } from '../../src/render/html/compact.js';
import { escapeHtml, jsonForScript } from '../../src/render/html/escape.js';
import { describeExpectation } from '../../src/render/html/expectations.js';
import { buildReportData, type ReportData } from '../../src/render/html/model.js';
import { cap, MAX_OUTPUT_CHARS, redactServer } from '../../src/render/html/shared-text.js';
import { PAGE_SCRIPT } from '../../src/render/html/page-script.js';
import { CSP, renderHtml } from '../../src/render/html/template.js';
import { reportLines, resultOf } from '../../src/render/html/report-file.js';
import type { RunOutcome } from '../../src/core/schemas/report.js';
import { caseOf, goldenOutcome, HOSTILE, runRecord, sample } from './fixtures.js';

const base = { title: 'support-answer@1.2.0 — eval report', generatedAt: '2025-01-02T03:05:00.000Z', promptctlVersion: '0.1.0' };

/** The data element's JSON, its cases decoded as the page decodes them. */
function embedded(html: string): ReportData {
  const m = html.match(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/);
  expect(m).not.toBeNull();
  return decodeReportData(JSON.parse(m![1]!));
}

describe('escaping', () => {
  it('writes JSON that cannot end its script element and parses back to the same value', () => {
    const value = { text: HOSTILE, nested: ['</SCRIPT >', '<!--', '-->', '&lt;'] };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('escapes markup characters for text and attributes', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('keeps a hostile output out of the markup: only the two script elements, no attribute that loads anything', () => {
    const html = renderHtml(buildReportData({ ...base, outcomes: [goldenOutcome('1.2.0', { hostile: true })] }));
    expect(html.match(/<script/gi)).toHaveLength(2);
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    // Outside the JSON (where the output is inert text), nothing that could load or run anything.
    const markup = html.replace(/(<script type="application\/json" id="report-data">)[\s\S]*?(<\/script>)/, '$1$2');
    expect(markup).not.toMatch(/\s(src|href|action|formaction|srcset|poster)\s*=/i);
    expect(markup).not.toMatch(/<(img|iframe|object|embed|link|base|form)\b/i);
    expect(markup).not.toContain('alert');
    expect(html).not.toContain('\u2028');
    expect(html).not.toContain('\u2029');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CSP)}">`);
    const data = embedded(html);
    const shipping = data.cases.find((c) => c.caseId === 'shipping-time')!;
    // Control and bidi characters are shown escaped (`\e`, `\u{202e}`), never raw; everything else survives as text.
    expect(shipping.a.output).toContain('</script><script>alert(1)</script><!-- <img src=x onerror=alert(2)>');
    expect(shipping.a.output).not.toMatch(/[\u001b\u202e\u202c]/);
  });

  it('ships a page script that is valid JavaScript and cannot close its element', () => {
    expect(PAGE_SCRIPT).not.toMatch(/<\/script/i);
    expect(PAGE_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    expect(() => new Function(PAGE_SCRIPT)).not.toThrow();
  });
});

describe('redactServer', () => {
  it.each([
    ['http://127.0.0.1:8000/v1', 'http://127.0.0.1:8000/v1'],
    ['http://user:s3cret@vllm.internal:8000/v1', 'http://vllm.internal:8000/v1'],
    ['https://token@gw.example.com/v1?api_key=abc#x', 'https://gw.example.com/v1'],
    ['http://a:b@h1/v1,http://c@h2/v1', 'http://h1/v1, http://h2/v1'],
    ['not a url//user:pw@x?key=1', 'not a url//x'],
  ])('%s → %s', (input, output) => {
    expect(redactServer(input)).toBe(output);
  });
});

describe('buildReportData (run)', () => {
  it('flattens cases with verdicts, reasons, outputs and totals', () => {
    const d = buildReportData({ ...base, outcomes: [goldenOutcome('1.2.0')], expectations: (_o, id) => (id === 'shipping-time' ? ['contains "5 business days"'] : []) });
    expect(d.kind).toBe('run');
    expect(d.cases.map((c) => [c.caseId, c.a.verdict])).toEqual([
      ['refund-window', 'pass'],
      ['shipping-time', 'fail'],
      ['support-hours', 'error'],
    ]);
    const shipping = d.cases[1]!;
    expect(shipping.expectations).toEqual(['contains "5 business days"']);
    expect(shipping.a.reasons).toEqual([{ expectation: 'contains', message: 'output does not contain "5 business days"', expected: '5 business days', actual: 'Shipping is fast.', count: 1 }]);
    expect(d.cases[2]!.a.error).toBe('timeout after 30000ms');
    expect(d.totals[0]).toMatchObject({ cases: 3, passed: 1, failed: 1, errored: 1, samples: 3, errorSamples: 1 });
    // No summary recorded: one is computed, marked incomplete.
    expect(d.runs[0]!.summary).toMatchObject({ cases: 3, failed: 1, verdict: 'incomplete' });
  });

  it('shows the first failing sample, counts repeated reasons, and caps huge outputs', () => {
    const reason = { expectation: 'regex', message: 'no match for /9am/' };
    const big = 'x'.repeat(MAX_OUTPUT_CHARS + 500);
    const c = caseOf('flaky', [
      sample({ caseId: 'flaky', output: 'fine' }),
      sample({ caseId: 'flaky', sample: 1, verdict: 'fail', output: big, reasons: [reason] }),
      sample({ caseId: 'flaky', sample: 2, verdict: 'fail', output: 'also bad', reasons: [reason] }),
    ]);
    const d = buildReportData({ ...base, outcomes: [{ run: runRecord(), threshold: 1, cases: [c] }] });
    const side = d.cases[0]!.a;
    expect(side.output.startsWith('x'.repeat(100))).toBe(true);
    expect(side.output).toContain('[500 more characters not shown]');
    expect(side.reasons).toEqual([{ ...reason, count: 2 }]);
    expect(side.samples?.map((s) => s.verdict)).toEqual(['pass', 'fail', 'fail']);
    expect(cap('a\u001b[1mb', 10)).toBe('a\\e[1mb');
  });

  it("a case's pass rate is its verdict's (an errored sample is not a pass), its output an answer when it passed, its samples numbered as the terminal and JUnit do", () => {
    const err = (caseId: string, n: number) => sample({ caseId, sample: n, verdict: 'error', output: '', error: '400 bad request', latencyMs: 0, tokensOut: 0 });
    // pass, pass, error against min_pass_rate 1: error, as the failure list's `2/3 samples passed, needs 100.0%`.
    const errored = caseOf('ppe', [sample({ caseId: 'ppe', output: 'good' }), sample({ caseId: 'ppe', sample: 1, output: 'good' }), err('ppe', 2)], { verdict: 'error', passRate: 1, minPassRate: 1 });
    // pass, error, pass against 0.5: it passed, by its answers.
    const passing = caseOf('pep', [sample({ caseId: 'pep', output: 'good' }), err('pep', 1), sample({ caseId: 'pep', sample: 2, output: 'good' })], { verdict: 'pass', passRate: 1, minPassRate: 0.5 });
    const notRun = caseOf('nr', [], { verdict: 'not-run', passRate: 0, minPassRate: 0.5 });
    const d = buildReportData({ ...base, outcomes: [{ run: runRecord(), threshold: 0.5, cases: [errored, passing, notRun] }] });
    const [e, p, n] = d.cases.map((c) => c.a);
    expect([e!.passRate, e!.shown, e!.sampleCounts]).toEqual([2 / 3, { value: '66.6%', limit: '100.0%' }, { passed: 2, errored: 1, of: 3 }]);
    expect(e!.samples!.map((x) => [x.sample, x.verdict])).toEqual([[0, 'pass'], [1, 'pass'], [2, 'error']]);
    expect(e!.shownFrom).toBe('first errored sample, #2');
    expect([p!.output, p!.shownFrom, p!.shown]).toEqual(['good', 'first answered sample, #0', { value: '66.6%', limit: '50.0%' }]);
    expect(p!.samples!.map((x) => x.sample)).toEqual([0, 1, 2]);
    // Not run: no pass rate to show beside its minimum.
    expect([n!.shown, n!.sampleCounts]).toEqual([undefined, undefined]);
  });

  it("an adversarial suite's own cases are in the hand-written category, as the category tables call them, so the filter lists it", () => {
    const cases = [caseOf('own', [sample({ caseId: 'own' })]), caseOf('atk-ovr-001', [sample({ caseId: 'atk-ovr-001' })], { category: 'instruction-override' })];
    const d = buildReportData({ ...base, outcomes: [{ run: runRecord({ suite: 'adversarial', suiteKind: 'adversarial' }), threshold: 1, cases }, { run: runRecord({ id: 'g' }), threshold: 1, cases: [caseOf('faq', [sample({ caseId: 'faq' })])] }] });
    expect(d.cases.map((c) => c.category)).toEqual(['hand-written', 'instruction-override', undefined]);
  });

  it('never writes server credentials into the file', () => {
    const o = goldenOutcome('1.1.0');
    o.run.server = 'http://admin:hunter2@vllm:8000/v1?token=zzz';
    const html = renderHtml(buildReportData({ ...base, outcomes: [o] }));
    expect(html).not.toContain('hunter2');
    expect(html).not.toContain('zzz');
    expect(html).toContain('http://vllm:8000/v1');
  });
});

describe('the line a comparison report prints once written', () => {
  it('counts a case with no answer on either side apart from the changed outputs', () => {
    const d = buildReportData({ ...base, outcomes: [goldenOutcome('1.1.0'), goldenOutcome('1.2.0')], comparison: { promptId: 'support-answer', a: '1.1.0', b: '1.2.0' } });
    const r = resultOf('/tmp/r.html', d);
    expect(r.unanswered).toBe(1);
    expect(reportLines('/tmp', r, true)[0]).toContain('compared: 1 regression, 0 fixes, 0 other verdict changes, 1 changed output, 0 identical (1 case errored or did not run on both sides: no answer to compare)');
  });
});

describe('buildReportData (comparison)', () => {
  it('pairs cases by suite and id, changed verdicts first, with totals per side', () => {
    const a = goldenOutcome('1.1.0');
    const b = goldenOutcome('1.2.0');
    b.cases.push(caseOf('only-new', [sample({ caseId: 'only-new' })]));
    const d = buildReportData({ ...base, outcomes: [a, b], comparison: { promptId: 'support-answer', a: '1.1.0', b: '1.2.0' } });
    expect(d.kind).toBe('compare');
    expect(d.comparison!.groups).toEqual([{ suite: 'golden', a: 0, b: 1 }]);
    expect(d.cases.map((c) => [c.caseId, c.change])).toEqual([
      ['shipping-time', 'regression'],
      ['refund-window', 'same-verdict'],
      // A timeout on both sides: no answer to compare, shown (it was "identical": two empty outputs).
      ['support-hours', 'same-verdict'],
    ]);
    expect(d.cases[0]!.a.verdict).toBe('pass');
    expect(d.cases[0]!.b!.verdict).toBe('fail');
    expect(d.totals.map((t) => [t.label, t.passed, t.failed])).toEqual([
      ['1.1.0', 2, 0],
      ['1.2.0', 2, 1],
    ]);
    expect(d.notes).toContain('1 case of suite golden ran on one version only, so it is not compared');
  });
});

describe('buildReportData (comparison of answers that read alike)', () => {
  const pair = (outA: string, outB: string, vars?: Record<string, string>) => {
    const side = (version: string, output: string): RunOutcome => ({ run: runRecord({ id: `run-${version}`, version }), threshold: 1, cases: [caseOf('window', [sample({ caseId: 'window', output })], vars ? { vars } : {})] });
    return buildReportData({ ...base, outcomes: [side('1.1.0', outA), side('1.2.0', outB)], comparison: { promptId: 'support-answer', a: '1.1.0', b: '1.2.0' } }).cases[0]!;
  };

  it.each([
    ['a right-to-left override', 'within 30\u202e days', 'within 30\\u{202e} days'],
    ['an escape sequence', 'within 30\u001b[8m days', 'within 30\\e[8m days'],
    ['a zero-width space', 'within 30\u200b days', 'within 30\\u{200b} days'],
  ])('classifies answers that differ only by %s on the raw answers, as compare does, and shows it escaped', (_, raw, shown) => {
    const c = pair('within 30 days', raw, { mark: '\u202e' });
    expect(c.change).toBe('same-verdict');
    expect(c.a.output).toBe('within 30 days');
    expect(c.b!.output).toBe(shown);
    expect(c.inputs).toEqual([{ name: 'mark', value: '\\u{202e}' }]);
  });

  it('classifies answers that differ only past the cap as changed, not as the identical text both show', () => {
    const head = 'x'.repeat(MAX_OUTPUT_CHARS);
    const c = pair(`${head}a`, `${head}b`);
    expect(c.a.output).toBe(c.b!.output);
    expect(c.change).toBe('same-verdict');
    expect(pair(`${head}a`, `${head}a`).change).toBe('identical');
  });
});

describe('expectations and chart', () => {
  it.each([
    [{ contains: ['3', '5 business days'] }, 'contains ["3", "5 business days"]'],
    [{ regex: '9am to 5pm' }, 'regex /9am to 5pm/'],
    [{ refusal: true }, 'refusal (the answer must refuse)'],
    [{ judge: { rubric: 'polite', min_score: 0.7 } }, 'judge (min score 0.7): "polite"'],
  ])('describes %j', (e, text) => {
    expect(describeExpectation(e as never)).toBe(text);
  });

  it('draws versions in semver order and escapes names', () => {
    const svg = versionCharts(
      [
        { promptId: 'p<1>', suite: 'golden"&', points: [
          { version: '1.10.0', passRate: 0.5, p95: 900, runId: 'r3', at: '' },
          { version: '1.2.0', passRate: 1, p95: 100, runId: 'r2', at: '' },
          { version: '1.0.0', passRate: 0.75, p95: 300, runId: 'r1', at: '' },
        ] },
      ],
      ['1.10.0'],
    );
    expect(svg).toContain('p&lt;1&gt;');
    expect(svg).toContain('golden&quot;&amp;');
    expect(svg).not.toContain('p<1>');
    const labels = [...svg.matchAll(/rotate\(-35\)" text-anchor="end">([^<]+)</g)].map((m) => m[1]);
    expect(labels.slice(0, 3)).toEqual(['1.0.0', '1.2.0', '1.10.0']);
    expect(svg.match(/<svg class="chart"/g)).toHaveLength(2);
  });

  it('draws registry-only versions hollow, off the line, and says so', () => {
    const point = (version: string, passRate: number, inProject?: boolean) => ({ version, passRate, p95: 100, runId: version, at: '', ...(inProject === false ? { inProject } : {}) });
    const svg = versionCharts([{ promptId: 'p', suite: 'golden', points: [point('1.0.0', 1), point('1.1.0', 0.2, false), point('1.2.0', 0.5)] }]);
    const pass = svg.slice(0, svg.indexOf('</svg>'));
    // The line goes 1.0.0 -> 1.2.0 (two points), not through 1.1.0.
    expect(pass.match(/<path d="([^"]+)"/)![1]!.match(/[ML]/g)).toHaveLength(2);
    const circles = [...pass.matchAll(/<circle [^>]*>/g)].map((m) => m[0]);
    expect(circles).toHaveLength(3);
    expect(circles.filter((c) => c.includes('class="away"') && c.includes('fill="#fff"'))).toHaveLength(1);
    expect(pass).toContain('golden @ 1.1.0: pass rate 20.0%, p95 100ms (not in this checkout');
    expect(pass).toMatch(/class="tick tick-away"[^>]*>1\.1\.0</);
    expect(svg).toContain('recorded in the registry but not in this checkout (1.1.0)');
    // Without registry-only versions nothing changes.
    expect(versionCharts([{ promptId: 'p', suite: 'golden', points: [point('1.0.0', 1), point('1.2.0', 0.5)] }])).not.toContain('away');
  });

  it("draws a draft measured only on its earlier content hollow, off the line, and says so, without greying its label", () => {
    const point = (version: string, passRate: number, earlierContent?: true) => ({ version, passRate, p95: 100, runId: version, at: '', ...(earlierContent ? { earlierContent } : {}) });
    const svg = versionCharts([{ promptId: 'p', suite: 'golden', points: [point('1.0.0', 1), point('1.1.0', 0.9), point('1.2.0', 0.2, true)] }]);
    const pass = svg.slice(0, svg.indexOf('</svg>'));
    // The line joins 1.0.0 and 1.1.0 only: the draft's dot measured another prompt than its file now.
    expect(pass.match(/<path d="([^"]+)"/)![1]!.match(/[ML]/g)).toHaveLength(2);
    const circles = [...pass.matchAll(/<circle [^>]*>/g)].map((m) => m[0]);
    expect(circles.filter((c) => c.includes('fill="#fff"'))).toHaveLength(1);
    expect(pass).toContain('golden @ 1.2.0: pass rate 20.0%, p95 100ms (of an earlier content of this version');
    expect(pass).not.toContain('tick-away');
    expect(svg).toContain('hollow dots on 1.2.0: runs of an earlier content of that version (edited since, not run as it is now), left off the lines');
    expect(svg).toContain('<td>yes, edited since this run</td>');
  });
});

describe('the adversarial table', () => {
  it('shows the injection resistance of each adversarial run', async () => {
    const { adversarialRun } = await import('../render/fixtures.js');
    const html = renderHtml(buildReportData({ ...base, outcomes: [adversarialRun()] }));
    const section = html.slice(html.indexOf('<section id="adversarial">'));
    expect(section).toContain('injection resistance 75.0% (95% CI 30.0–95.5%; 1 of 4 attacks succeeded)');
    expect(section).toContain('an attack succeeded when any of its samples failed');
  });
});

describe('buildReportData (rendered messages)', () => {
  const withTemplate = (system: string) => {
    const outcome: RunOutcome = { run: runRecord({ id: 'run-1.1.0', version: '1.1.0' }), threshold: 1, cases: [caseOf('window', [sample({ caseId: 'window', output: 'ok' })])] };
    return buildReportData({ ...base, outcomes: [outcome], messageTemplates: () => [{ role: 'system', content: system }, { role: 'user', content: '{{question}}' }] }).runs[0]!.messages!;
  };

  it.each([
    ['a right-to-left override and its pop', 'Refunds within \u202e30 days\u202c. Ask: {{question}}', ['Refunds within \\u{202e}30 days\\u{202c}. Ask: ', { v: 'question' }]],
    ['a zero-width space', 'of purchase\u200b. {{question}}', ['of purchase\\u{200b}. ', { v: 'question' }]],
    ['an escape sequence, with the text\'s own backslash doubled', 'C:\\x \u001b[8mhidden{{question}}', ['C:\\\\x \\e[8mhidden', { v: 'question' }]],
    ['PII, masked as in outputs', 'Write to jane.doe@example.com about {{question}}', ['Write to ja**********om about ', { v: 'question' }]],
    ['plain text, unchanged', 'You are a support agent. {{question}}', ['You are a support agent. ', { v: 'question' }]],
  ])('a template with %s shows its text as outputs are shown', (_, system, parts) => {
    const messages = withTemplate(system);
    expect(messages[0]).toEqual({ role: 'system', parts });
    expect(messages[1]).toEqual({ role: 'user', parts: [{ v: 'question' }] });
  });
});
