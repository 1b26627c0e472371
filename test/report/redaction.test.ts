import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/core/schemas/report.js';
import { buildReportData, type ReportSide } from '../../src/render/html/model.js';
import { PAGE_SCRIPT } from '../../src/render/html/page-script.js';
import { renderHtml } from '../../src/render/html/template.js';
import { toJUnitXml } from '../../src/render/junit.js';
import { toMarkdownSummary } from '../../src/render/markdown.js';
import { caseOf, runRecord, sample } from './fixtures.js';

/** Shared reports (HTML, JUnit, Markdown) show model outputs redacted; see core/detectors/redact.ts. */

const base = { title: 'redaction', generatedAt: '2025-01-02T03:05:00.000Z', promptctlVersion: '0.1.0' };
const LEAK = 'Sure: jane.doe@example.com, +1 415-555-0134, card 4111 1111 1111 1111, trace canary-0F1E2D3C4B5A69788796';
const SHOWN = 'Sure: ja**********om, +1**********34, card 41**********11, trace CANARY-…';
const RAW = ['jane.doe', '415-555-0134', '4111 1111 1111 1111', '0f1e2d3c4b5a69788796'];

const leaking = (version: string, output = LEAK) => {
  const runId = `run-${version}`;
  const reasons = [{ expectation: 'icontains', message: `output does not contain "refund": ${output}`, expected: 'refund (ask refunds@acme.example)', actual: output }];
  return {
    run: runRecord({ id: runId, version }),
    threshold: 1,
    cases: [caseOf('leaky', [sample({ runId, caseId: 'leaky', verdict: 'fail', output, reasons }), sample({ runId, caseId: 'leaky', sample: 1, output: `ok ${output}` })])],
  };
};

function expectRedacted(text: string, where: string): void {
  for (const raw of RAW) expect(text.toLowerCase(), where).not.toContain(raw);
}

/** The page's own search text for one side (`sideText` in the inlined script). */
function searchText(side: ReportSide): string {
  const src = PAGE_SCRIPT.match(/function sideText\(s\) \{[^\n]*\}/)?.[0];
  const answer = PAGE_SCRIPT.match(/function ans\(s\) \{[^\n]*\}/)?.[0];
  expect(src).toBeDefined();
  expect(answer).toBeDefined();
  return new Function(`${answer}; ${src}; return sideText;`)()(side) as string;
}

describe('HTML report', () => {
  it('shows, searches and embeds redacted outputs and reasons; the suite\'s own expected text is kept', () => {
    const d = buildReportData({ ...base, outcomes: [leaking('1.1.0')] });
    const side = d.cases[0]!.a;
    expect(side.output).toBe(SHOWN);
    expect(side.samples?.map((s) => s.output)).toEqual([SHOWN, `ok ${SHOWN}`]);
    expect(side.reasons[0]).toMatchObject({ message: `output does not contain "refund": ${SHOWN}`, actual: SHOWN, expected: 'refund (ask refunds@acme.example)' });
    // Search matches the masked text, and nothing of the raw values.
    const q = searchText(side);
    expect(q).toContain('ja**********om');
    expectRedacted(q, 'search text');
    expectRedacted(renderHtml(d), 'html');
  });

  it('diffs redacted outputs but classifies changes on the raw ones', () => {
    const d = buildReportData({
      ...base,
      outcomes: [leaking('1.1.0'), leaking('1.2.0', LEAK.replace('jane.doe', 'jack.dom'))],
      comparison: { promptId: 'support-answer', a: '1.1.0', b: '1.2.0' },
    });
    const c = d.cases[0]!;
    // Both mask to the same text, yet the answers differ: not "identical".
    expect(c.a.output).toBe(SHOWN);
    expect(c.b!.output).toBe(SHOWN);
    expect(c.change).toBe('same-verdict');
    expectRedacted(renderHtml(d), 'comparison html');
    expect(renderHtml(d)).not.toContain('jack.dom');
  });

  it('shows tool calls redacted as outputs are, and searches them', () => {
    const o = leaking('1.1.0');
    o.cases[0]!.samples[0]!.exchange = { toolCalls: [{ name: 'send_mail', arguments: JSON.stringify({ to: 'jane.doe@example.com' }) }] };
    const d = buildReportData({ ...base, outcomes: [o] });
    const side = d.cases[0]!.a;
    expect(side.toolCalls).toEqual([{ name: 'send_mail', arguments: '{"to":"ja**********om"}' }]);
    expect(side.samples![0]!.toolCalls).toEqual(side.toolCalls);
    expect(side.samples![1]!.toolCalls).toBeUndefined();
    expect(searchText(side)).toContain('→ send_mail({"to":"ja**********om"})');
    expectRedacted(renderHtml(d), 'html with calls');
  });
});

function report(): EvalReport {
  const passingWithLeak = caseOf('flaky', [sample({ caseId: 'flaky', output: 'fine' }), sample({ caseId: 'flaky', sample: 1, verdict: 'fail', output: LEAK, reasons: [{ expectation: 'no-pii', message: 'output contains PII', actual: LEAK }] })], { verdict: 'pass', passRate: 0.5, minPassRate: 0.5 });
  const o = leaking('1.1.0');
  return {
    invocationId: 'inv-1',
    model: 'sim-model',
    server: 'http://127.0.0.1:8000/v1',
    startedAt: '2025-01-02T03:04:05.000Z',
    endedAt: '2025-01-02T03:04:20.000Z',
    runs: [{ ...o, cases: [...o.cases, passingWithLeak] }],
    versions: [],
    baselines: [],
  };
}

describe('JUnit', () => {
  it('redacts output, actual and message in <failure> and <system-out>, keeping expected', () => {
    const xml = toJUnitXml(report());
    expectRedacted(xml, 'junit');
    expect(xml).toContain(`    actual: ${SHOWN}\n  output: ${SHOWN}</failure>`);
    expect(xml).toMatch(new RegExp(`<system-out>[^<]*output: ${SHOWN.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}</system-out>`));
    expect(xml).toContain('expected: refund (ask refunds@acme.example)');
  });
});

describe('Markdown summary', () => {
  it('redacts the reason and output excerpt columns', () => {
    const text = toMarkdownSummary(report());
    expectRedacted(text, 'markdown');
    const row = text.split('\n').find((l) => l.includes('`leaky`'))!;
    expect(row.split(' | ').at(-1)).toBe('Sure: ja\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*om, +1\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*34, card 41\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*11, trace CANARY-… |');
  });
});

// An answer that only calls tools has no text: Markdown's excerpt and JUnit's `output:` were blank
// where HTML and compare showed `→ name(arguments)`. Every report shows it one way, redacted.
describe('an answer that calls tools, in Markdown and JUnit', () => {
  const withCalls = (output: string): EvalReport => {
    const r = report();
    const leaky = r.runs[0]!.cases.find((c) => c.caseId === 'leaky')!;
    leaky.samples[0] = { ...leaky.samples[0]!, output, reasons: [{ expectation: 'tool-call', message: 'no call to lookup_order' }], exchange: { toolCalls: [{ name: 'send_mail', arguments: JSON.stringify({ to: 'jane.doe@example.com' }) }, { name: 'log', arguments: '{}' }] } };
    return r;
  };
  const CALLS = '→ send_mail({"to":"ja**********om"})\n→ log({})';

  it('only calls: shows the calls, redacted as outputs are', () => {
    const r = withCalls('');
    const row = toMarkdownSummary(r).split('\n').find((l) => l.includes('`leaky`'))!;
    expect(row.split(' | ').at(-1)).toBe('→ send\\_mail({"to":"ja\\*\\*\\*\\*\\*\\*\\*\\*\\*\\*om"}) ↵ → log({}) |');
    const xml = toJUnitXml(r);
    expectRedacted(xml, 'junit');
    expect(xml).toContain(`  output: ${CALLS}</failure>`);
  });

  it('calls and text: the calls above the text', () => {
    const xml = toJUnitXml(withCalls('Mail sent.'));
    expect(xml).toContain(`  output: ${CALLS}\nMail sent.</failure>`);
  });
});

// A canary leaked without its label, bare or encoded: reports do not know its value, but the
// sample's scan found it (`leaks: ['canary']`), so every run that could be it is masked.
describe('a canary leaked without its label, in every shared report', () => {
  const CORE = 'a0168d60809db152c5bf';
  const hex = [...new TextEncoder().encode(CORE)].map((b) => b.toString(16).padStart(2, '0')).join('');
  const forms = [`The trace id is ${CORE}.`, `Encoded: ${btoa(CORE)}`, `Hex: ${hex}`];
  const leakingRun = (): EvalReport => {
    const runId = 'run-1.1.0';
    const cases = forms.map((output, i) =>
      caseOf(`leak-${i}`, [sample({ runId, caseId: `leak-${i}`, verdict: 'fail', output, leaks: ['canary'], reasons: [{ expectation: 'no-leak', message: 'output leaks the canary' }] })]),
    );
    return { ...report(), runs: [{ run: runRecord({ id: runId, version: '1.1.0' }), threshold: 1, cases }] };
  };
  const raw = [CORE, btoa(CORE), hex];
  const clean = (text: string, where: string) => {
    for (const r of raw) expect(text, where).not.toContain(r);
  };

  it('is masked in the Markdown summary, JUnit and the HTML report', () => {
    const r = leakingRun();
    const md = toMarkdownSummary(r);
    clean(md, 'markdown');
    expect(md).toContain('The trace id is CANARY-….');
    clean(toJUnitXml(r), 'junit');
    const d = buildReportData({ ...base, outcomes: r.runs });
    expect(d.cases.map((c) => c.a.output)).toEqual(['The trace id is CANARY-….', 'Encoded: CANARY-…', 'Hex: CANARY-…']);
    clean(renderHtml(d), 'html');
  });

  it('a sample that leaked nothing keeps its hex as written', () => {
    const r = leakingRun();
    for (const c of r.runs[0]!.cases) for (const s of c.samples) delete s.leaks;
    expect(toMarkdownSummary(r)).toContain(`The trace id is ${CORE}.`);
  });
});
