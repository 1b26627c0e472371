import { describe, expect, it } from 'vitest';
import { classifyChange, formatComparison, orderRows, type ComparisonRow } from '../../src/render/compare.js';
import { displayWidth } from '../../src/render/table.js';

function row(caseId: string, verdictA: ComparisonRow['verdictA'], verdictB: ComparisonRow['verdictB'], outputB = `new ${caseId}`): ComparisonRow {
  return { suite: 'faq', caseId, verdictA, verdictB, outputA: `old ${caseId}`, outputB };
}

const rows: ComparisonRow[] = [
  { ...row('same', 'pass', 'pass'), outputB: 'old same' },
  row('fixed', 'fail', 'pass'),
  row('reworded', 'pass', 'pass'),
  row('broke', 'pass', 'fail'),
  row('now-errors', 'fail', 'error'),
  row('broke-too', 'pass', 'error'),
];

describe('orderRows', () => {
  it('puts regressions first, then fixes, other changes, changed outputs, identical ones', () => {
    expect(orderRows(rows).map((r) => `${r.kind}:${r.row.caseId}`)).toEqual([
      'regression:broke',
      'fix:fixed',
      'changed:now-errors',
      'changed:broke-too',
      'same-verdict:reworded',
      'identical:same',
    ]);
  });
});

describe('classifyChange', () => {
  it('never calls a case that errored (or did not run) on one side a regression or a fix: an error is no verdict on the prompt', () => {
    expect(classifyChange(row('e', 'pass', 'error'))).toBe('changed');
    expect(classifyChange(row('e', 'error', 'pass'))).toBe('changed');
    expect(classifyChange(row('e', 'pass', 'not-run'))).toBe('changed');
    expect(classifyChange(row('e', 'fail', 'error'))).toBe('changed');
    expect(classifyChange(row('e', 'pass', 'fail'))).toBe('regression');
    expect(classifyChange(row('e', 'fail', 'pass'))).toBe('fix');
  });

  it('counts a change of tool calls (name or arguments, in order) as a changed output', () => {
    const base = { ...row('call', 'pass', 'pass'), outputA: '', outputB: '', toolCallsA: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] };
    expect(classifyChange({ ...base, toolCallsB: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] })).toBe('identical');
    expect(classifyChange({ ...base, toolCallsB: [{ name: 'get_weather', arguments: '{"city":"Paris","units":"C"}' }] })).toBe('same-verdict');
    expect(classifyChange({ ...base, toolCallsB: undefined })).toBe('same-verdict');
    expect(classifyChange({ ...base, toolCallsB: [...base.toolCallsA, { name: 'book_hotel', arguments: '{}' }] })).toBe('same-verdict');
  });
});

describe('formatComparison', () => {
  const input = { promptId: 'support-faq', a: '1.0.0', b: '1.1.0', rows };

  it("shows each case's inputs under its title, on one line within the width", () => {
    const asked = [{ ...row('broke', 'pass', 'fail'), vars: { question: `Where is my order?\nIt is late. ${'x'.repeat(200)}`, tone: 'formal' } }];
    const lines = formatComparison({ ...input, rows: asked }, { color: false, width: 80 }).split('\n');
    const i = lines.findIndex((l) => l.startsWith('REGRESSION faq/broke'));
    expect(lines[i + 1]).toMatch(/^ {2}input: question: Where is my order\? It is late\. x+…$/);
    expect(displayWidth(lines[i + 1]!)).toBeLessThanOrEqual(80);
    expect(lines[i + 2]).toMatch(/^ {2}1\.0\.0 /);
    // Without inputs (a suite file that changed since the run), no input line.
    const plain = formatComparison({ ...input, rows: [row('broke', 'pass', 'fail')] }, { color: false, width: 80 }).split('\n');
    expect(plain.some((l) => l.includes('input:'))).toBe(false);
  });

  it('starts with a count line and orders the blocks', () => {
    const out = formatComparison(input, { color: false, width: 80 });
    const lines = out.split('\n');
    // Errors are reported apart from wrong answers: counted beside the other verdict changes they are among.
    expect(lines.slice(0, lines.indexOf('')).join(' ')).toBe(
      'support-faq: 1.0.0 vs 1.1.0 — 6 cases: 1 regression, 1 fix, 2 other verdict changes, 1 changed output, 1 identical (2 cases errored or did not run on one side: no verdict on the prompt, so neither a regression nor a fix)',
    );
    const titles = lines.filter((l) => /^(REGRESSION|FIX|CHANGED|ERRORED|OUTPUT) /.test(l));
    expect(titles).toEqual([
      'REGRESSION faq/broke  PASS → FAIL',
      'FIX faq/fixed  FAIL → PASS',
      'ERRORED faq/now-errors  FAIL → ERROR',
      'ERRORED faq/broke-too  PASS → ERROR',
      'OUTPUT faq/reworded  PASS → PASS',
    ]);
    expect(out).toContain('1 case with identical output not shown');
    expect(out).toContain('  old broke                             │ new broke');
  });

  it.each([
    ['a right-to-left override', '\u202e', '\\u{202e}'],
    ['an escape sequence', '\u001b[8m', '\\e[8m'],
  ])('shows %s that alone tells two answers apart escaped, in the columns and the inputs line', (_, raw, shown) => {
    const alike = { ...row('mark', 'pass', 'pass', `within 30${raw} days`), outputA: 'within 30 days', vars: { mark: raw } };
    const out = formatComparison({ ...input, rows: [alike] }, { color: false, width: 140 });
    expect(out).toContain('1 changed output, 0 identical');
    expect(out).toContain(`  input: mark: ${shown}\n`);
    expect(out).toMatch(new RegExp(`within 30 days +│ within 30${shown.replace(/[\\[{}]/g, '\\$&')} days`));
    expect(out).not.toContain(raw);
  });

  it('fits long, multi-line and wide outputs into the width', () => {
    const long = `${'日本語の回答です。'.repeat(20)}\nsecond line \u001b[31mred\u001b[0m`;
    const out = formatComparison({ ...input, rows: [row('long', 'pass', 'fail', long)] }, { color: false, width: 60 });
    for (const line of out.trimEnd().split('\n').slice(1)) expect(displayWidth(line)).toBeLessThanOrEqual(60);
    expect(out).toContain('…');
    expect(out).not.toContain('\u001b');
  });

  it('shows a side\'s tool calls above its text, and why a side that did not pass failed', () => {
    const failing: ComparisonRow = {
      ...row('broke', 'pass', 'fail', 'Shipping is fast.'),
      toolCallsA: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }],
      reasonsB: [
        { expectation: 'contains', message: 'output does not contain "5 business days"' },
        { expectation: 'icontains', message: 'output does not contain "shipping"' },
        { expectation: 'no-pii', message: 'found an email' },
      ],
    };
    const errored: ComparisonRow = { ...row('now-errors', 'fail', 'error', ''), reasonsA: [{ expectation: 'contains', message: 'output does not contain "x"' }], errorB: 'HTTP 400: context too long' };
    const out = formatComparison({ ...input, rows: [failing, errored] }, { color: false, width: 100 });
    const lines = out.split('\n');
    const at = lines.indexOf('REGRESSION faq/broke  PASS → FAIL');
    expect(lines.slice(at + 2, at + 7)).toEqual([
      '  → get_weather({"city":"Paris"})                 │ Shipping is fast.',
      '  old broke                                       │ ✗ contains: output does not contain "5',
      '                                                  │ business days"',
      '                                                  │ ✗ icontains: output does not contain "shipping"',
      '                                                  │ ✗ (+1 more)',
    ]);
    const e = lines.indexOf('ERRORED faq/now-errors  FAIL → ERROR');
    expect(lines.slice(e + 2, e + 4)).toEqual(['  old now-errors                                  │ (empty output)', '  ✗ contains: output does not contain "x"         │ ✗ error: HTTP 400: context too long']);
    for (const line of lines.slice(1)) expect(displayWidth(line)).toBeLessThanOrEqual(100);
  });

  it('keeps the │ separator in one column beside emoji and flags (widths as a terminal draws them)', () => {
    // ✅ ❌ 🚀 and the flag take 2 columns each: 21 in all, so 16 blanks pad it to the 37-column side.
    const left = '✅ Done ❌ none 🚀 🇯🇵';
    const out = formatComparison({ ...input, rows: [{ ...row('emoji', 'pass', 'fail'), outputA: left, outputB: 'plain' }] }, { color: false, width: 80 }).split('\n');
    expect(out).toContain(`  ${left}${' '.repeat(16)} │ plain`);
  });

  it("shows each side's sample pass count beside its verdict when a case has several samples, and never hides a changed count", () => {
    // The shown samples match, but 2/3 became 0/3: a changed output, not an identical one.
    const dropped: ComparisonRow = { ...row('refund', 'fail', 'fail', 'old refund'), samplesA: { passed: 2, total: 3 }, samplesB: { passed: 0, total: 3 }, samplesDiffer: true };
    const out = formatComparison({ ...input, rows: [dropped] }, { color: false, width: 80 });
    expect(out).toContain('OUTPUT faq/refund  FAIL 2/3 → FAIL 0/3');
    expect(out.split('\n')[1]).toContain('1 changed output, 0 identical');
    expect(out).not.toContain('not shown');
  });

  it('colours verdicts only when asked', () => {
    expect(formatComparison(input, { color: true, width: 80 })).toContain('\u001b[31m');
    expect(formatComparison(input, { color: false, width: 80 })).not.toContain('\u001b[');
  });

  it('sizes the case id from the line\'s real widths and cuts it in its middle; the count line wraps at words', () => {
    const ids = ['adversarial/pii-exfil-email-lookup-001', 'adversarial/pii-exfil-email-lookup-002'].map((id) => row(id.slice('adversarial/'.length), 'pass', 'fail'));
    const wide = { ...input, promptId: 'support-answer', rows: ids.map((r) => ({ ...r, suite: 'adversarial' })) };
    // 50 columns: 26 for the id beside the tag and verdicts (before: 10, `adversari…`).
    const at50 = formatComparison(wide, { color: false, width: 50 }).split('\n').filter((l) => l.startsWith('REGRESSION'));
    expect(at50).toEqual(['REGRESSION adversarial/p…l-lookup-001  PASS → FAIL', 'REGRESSION adversarial/p…l-lookup-002  PASS → FAIL']);
    for (const t of at50) expect(displayWidth(t)).toBeLessThanOrEqual(50);
    // Cut in the middle: the ends that tell the two cases apart stay.
    expect(at50.map((t) => t.match(/(\d{3})  PASS → FAIL$/)?.[1])).toEqual(['001', '002']);
    expect(at50[0]).toMatch(/^REGRESSION adversarial\/.*….*lookup-001  PASS → FAIL$/);
    expect(displayWidth(at50[0]!)).toBe(50);
    // 40 columns: every line of the count fits, broken between words.
    const at40 = formatComparison(wide, { color: false, width: 40 }).split('\n');
    const count = at40.slice(0, at40.indexOf(''));
    expect(count.join(' ')).toBe('support-answer: 1.0.0 vs 1.1.0 — 2 cases: 2 regressions, 0 fixes, 0 other verdict changes, 0 changed outputs, 0 identical');
    for (const l of count) expect(displayWidth(l)).toBeLessThanOrEqual(40);
  });
});

describe('a case that errored on both sides', () => {
  it('is shown and counted apart, never folded into "identical" (both outputs are empty alike)', () => {
    const both = { ...row('down', 'error', 'error'), outputA: '', outputB: '' };
    expect(orderRows([both]).map((r) => r.kind)).toEqual(['same-verdict']);
    const out = formatComparison({ promptId: 'support-faq', a: '1.0.0', b: '1.1.0', rows: [both, { ...row('same', 'pass', 'pass'), outputB: 'old same' }] }, { color: false, width: 80 });
    const lines = out.split('\n');
    expect(lines.slice(0, lines.indexOf('')).join(' ')).toBe('support-faq: 1.0.0 vs 1.1.0 — 2 cases: 0 regressions, 0 fixes, 0 other verdict changes, 0 changed outputs, 1 identical (1 case errored or did not run on both sides: no answer to compare)');
    expect(out).toContain('ERRORED faq/down  ERROR → ERROR');
  });
});
