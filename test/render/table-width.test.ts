import { describe, expect, it } from 'vitest';
import { formatFinalTable } from '../../src/render/final-table.js';
import { displayWidth, fitColumns, fitWidth, formatTable, padWidth, WHOLE } from '../../src/render/table.js';
import { versionLabelCut } from '../../src/render/run-stats.js';
import { needCellCut } from '../../src/render/text.js';
import type { EvalReport } from '../../src/core/schemas/report.js';
import { fixtureReport, goldenRun } from './fixtures.js';

/**
 * Issue 14 §5: on a terminal of any width (from 80 columns until the terminal hunt's D1), tables cut a cell with … (and leave out
 * optional columns) instead of letting the terminal wrap lines mid-word.
 */

const tableLines = (out: string) => {
  // Sentences (the model line, tested marks, the headline) are not tables; table blocks start at a header row.
  const blocks = out.split('\n\n').filter((b) => /^[A-Z0-9%Δ ]+$/.test(b.split('\n').find((l) => /^[A-Z]{3,}/.test(l)) ?? ''));
  return blocks.flatMap((b) => b.split('\n').filter((l) => !/^(Attacks on|Compared with|injection resistance|PII leaks)/.test(l)));
};

describe('tables at a terminal width', () => {
  it('formatTable cuts the widest text column with … and keeps numbers whole', () => {
    const out = formatTable([{ header: 'NAME' }, { header: 'NOTE' }, { header: 'N', align: 'right' }], [['short', 'a very long note that would wrap on a narrow terminal', '12345']], undefined, { maxWidth: 30 });
    for (const line of out.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(30);
    expect(out).toContain('…');
    expect(out).toContain('12345');
    expect(out.split('\n')[1]).toMatch(/^short  a very long not… +12345$/);
  });

  it('optional columns go, rightmost first, before any text is cut', () => {
    const cols = [{ header: 'NAME' }, { header: 'A', align: 'right' as const, optional: true }, { header: 'B', align: 'right' as const, optional: true }];
    const rows = [['abcdefghijkl', '1111111111', '2222222222']];
    expect(formatTable(cols, rows, undefined, { maxWidth: 40 })).toBe('NAME                   A           B\nabcdefghijkl  1111111111  2222222222');
    expect(formatTable(cols, rows, undefined, { maxWidth: 25 })).toBe('NAME                   A\nabcdefghijkl  1111111111');
    // Without a width (a pipe, a file, a test) the table is as before.
    expect(formatTable(cols, rows)).toBe(formatTable(cols, rows, undefined, {}));
  });

  it.each([80, 100, 120, 200])('the eval table fits %i columns', (width) => {
    const report = fixtureReport();
    report.runs[0]!.run.promptId = 'a-prompt-id-long-enough-to-need-cutting-in-any-narrow-terminal';
    const out = formatFinalTable(report, { color: false, width });
    const lines = tableLines(out);
    expect(lines.length).toBeGreaterThan(4);
    for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
    expect(out).toContain('PASSED');
    expect(out).toContain('FAILED');
  });

  // Terminal hunt D1: below 80 columns the table was left whole (all 13 columns, every row wrapped).
  // A11y hunt: below about 59 columns it wrapped again, and ERRORS / NOT RUN were left out although
  // they explain the verdict; a table that cannot fit is now one record per run.
  it.each([40, 50, 60, 70, 79])('below 80 columns it still fits, every count that explains a verdict kept: %i', (width) => {
    // The runs' block (the table, or its records), after the model line.
    const out = formatFinalTable(fixtureReport(), { color: false, width }).split('\n\n')[1]!;
    for (const line of out.split('\n')) expect(displayWidth(line), out).toBeLessThanOrEqual(width);
    // The first run errored on one case and did not run another: both counts stay, as columns or as lines of its record.
    const table = out.startsWith('PROMPT ');
    expect(out, out).toMatch(table ? /^PROMPT .*FAILED +ERRORS +NOT RUN$/m : /^ {2}ERRORS +1\n {2}NOT RUN +1$/m);
  });

  it('a table that cannot fit is one record per row: the first cell as a title, then each header and value', () => {
    const cols = [{ header: 'PROMPT' }, { header: 'VERDICT', cut: WHOLE }, { header: 'ERRORS', align: 'right' as const }, { header: 'NOT RUN', align: 'right' as const }];
    const rows = [['support-answer@1.2.0', 'incomplete', '1', '2']];
    expect(formatTable(cols, rows, undefined, { maxWidth: 30 })).toBe('support-answer@1.2.0\n  VERDICT  incomplete\n  ERRORS   1\n  NOT RUN  2');
    // Where it fits, the table is as it was.
    expect(formatTable(cols, rows, undefined, { maxWidth: 50 })).toBe(formatTable(cols, rows));
  });

  it('without a width, nothing changes', () => {
    const report = fixtureReport();
    expect(formatFinalTable(report, { color: false, width: undefined })).toBe(formatFinalTable(report, { color: false }));
  });
});

describe('the eval table at an ordinary 100-120-column terminal (two versions of one prompt)', () => {
  // The hunt's table: `support-…` twice (which version is which?) and `100.0% (…` beside P50 and TOKENS.
  const twoVersions = () => {
    const report = fixtureReport();
    const a = goldenRun();
    const b = goldenRun();
    a.run = { ...a.run, id: 'run-a', promptId: 'support-answer', version: '1.0.0', suite: 'golden' };
    b.run = { ...b.run, id: 'run-b', promptId: 'support-answer', version: '1.1.0', suite: 'golden' };
    return { ...report, runs: [a, b], baselines: [] };
  };
  const runTable = (width: number) => {
    const out = formatFinalTable(twoVersions(), { color: false, width });
    const lines = out.split('\n');
    const at = lines.findIndex((l) => l.startsWith('PROMPT'));
    return lines.slice(at, at + 3);
  };

  it.each([120, 110])('%i columns: optional columns go before any name or threshold is cut', (width) => {
    const [header, first, second] = runTable(width);
    for (const line of [header!, first!, second!]) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
    expect(header).not.toContain('TOKENS');
    expect(header).not.toContain('P50');
    expect(first).toMatch(/^support-answer@1\.0\.0 /);
    expect(second).toMatch(/^support-answer@1\.1\.0 /);
    expect(first).toMatch(/ \d+\.\d% \(need 90\.0%\) /);
    expect(header).toContain('95% CI');
  });

  it.each([80, 90, 100])('%i columns: the id is cut in its middle, its @version never', (width) => {
    const [header, first, second] = runTable(width);
    for (const line of [header!, first!, second!]) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
    expect(first).toMatch(/^\S*@1\.0\.0 /);
    expect(second).toMatch(/^\S*@1\.1\.0 /);
    // A threshold is shown whole or not at all: `(need 1…` could read as another number.
    expect(`${first}${second}`).not.toMatch(/\(need [^)]*…|\(…/);
  });

  it('leaves out optional columns by their order, then cuts text, then leaves out the columns that outlast text, then cuts `last`', () => {
    const cols = [
      { header: 'NAME' },
      { header: 'RATE', cut: needCellCut },
      { header: 'CI', align: 'right' as const, optional: true, outlastsText: true },
      { header: 'KIND', optional: true, dropOrder: 1 },
      { header: 'TOKENS', align: 'right' as const, optional: true },
    ];
    const natural = [20, 19, 11, 6, 13];
    const floors = [undefined, 6, undefined, undefined, undefined] as unknown as number[];
    const shown = (w: number) => fitColumns(cols, natural, w, floors).map((f) => `${cols[f.index]!.header}:${f.width}`).join(' ');
    expect(shown(77)).toBe('NAME:20 RATE:19 CI:11 KIND:6 TOKENS:13');
    expect(shown(76)).toBe('NAME:20 RATE:19 CI:11 KIND:6');
    expect(shown(61)).toBe('NAME:20 RATE:19 CI:11');
    expect(shown(50)).toBe('NAME:16 RATE:19 CI:11');
    expect(shown(40)).toBe('NAME:6 RATE:19 CI:11');
    expect(shown(36)).toBe('NAME:15 RATE:19');
    expect(shown(27)).toBe('NAME:6 RATE:19');
    expect(shown(20)).toBe('NAME:6 RATE:12');
  });
});

describe('cuts that keep what tells rows apart', () => {
  it.each([
    ['support-answer@1.1.0', 20, 'support-answer@1.1.0'],
    ['support-answer@1.1.0', 19, 'suppor…answer@1.1.0'],
    // Terminal hunt D1: never below 4 letters each side, so `support-answer` and `support-helper` read apart.
    ['support-answer@1.1.0', 12, 'supp…swer@1.1.0'],
    ['support-helper@1.1.0', 12, 'supp…lper@1.1.0'],
    ['support-answer@1.1.0', 4, 'supp…swer@1.1.0'],
    ['support-answer@1.1.0:sim-b [as deployed in production]', 40, 'supp…swer@1.1.0:sim-b [as deployed in production]'],
  ])('%j in %i columns: %j', (label, width, shown) => {
    expect(versionLabelCut.fit(label, width)).toBe(shown);
  });

  it('a label is never cut below its @version and a few letters of the id; a rate never below the rate', () => {
    expect(versionLabelCut.min('support-answer@1.1.0')).toBe(15);
    expect(versionLabelCut.min('faq@2.0.0')).toBe(9);
    expect(needCellCut.fit('94.0% (need 95.0%)')).toBe('94.0%');
    expect(needCellCut.fit('– (need 95.0%)')).toBe('–');
    expect(needCellCut.min('94.0% (need 95.0%)')).toBe(5);
  });
});

describe('column widths: one-column text (counted without the grapheme segmenter) and the rest', () => {
  const rows: Array<[string, number, number, string, string]> = [
    // text, its width, a width to fit, fitted, padded to that width
    ['', 0, 3, '', '   '],
    ['support-answer', 14, 8, 'support…', 'support…'],
    ['abc', 3, 3, 'abc', 'abc'],
    ['abcd', 4, 3, 'ab…', 'ab…'],
    ['pass ~ {x}', 10, 12, 'pass ~ {x}', 'pass ~ {x}  '],
    ['日本語', 6, 5, '日本…', '日本…'],
    ['café', 4, 3, 'ca…', 'ca…'],
    ['e\u0301x', 2, 2, 'e\u0301x', 'e\u0301x'],
    ['😀ok', 4, 3, '😀…', '😀…'],
    ['tab\tin', 6, 9, 'tab\tin', 'tab\tin   '],
    ['Δ pass ±2.0 — ✓ → ·', 19, 10, 'Δ pass ±2…', 'Δ pass ±2…'],
    ['Привет, Ελλάδα', 14, 8, 'Привет,…', 'Привет,…'],
    ['ünï\u0308', 3, 3, 'ünï\u0308', 'ünï\u0308'],
    ['a\u200bb', 2, 2, 'a\u200bb', 'a\u200bb'],
    ['x\u20ddy', 2, 2, 'x\u20ddy', 'x\u20ddy'],
    ['ひらがな', 8, 5, 'ひら…', 'ひら…'],
  ];
  const segmented = (t: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(t)].length;
  it.each(['Δ pass ±2.0 — ✓ → ·', 'Привет, Ελλάδα', 'café ½ № ™ ← ↑ ╔═╗ │ ┼', 'ÀÉÎÕÜ ßøæ ĳ ŀ ǅ ɐ ʃ ˈ'])('%j: one column per character, as the segmenter counts', (text) => {
    expect(displayWidth(text)).toBe(segmented(text));
  });
  it.each(rows)('%j', (text, width, fit, fitted, padded) => {
    expect(displayWidth(text)).toBe(width);
    expect(fitWidth(text, fit)).toBe(fitted);
    expect(padWidth(text, fit)).toBe(padded);
  });
});

describe('NOT RUN at a narrow terminal', () => {
  it('a column of zeros goes before any letter of a name; cases not run outlast letters', () => {
    const report = fixtureReport();
    const a = goldenRun();
    a.run = { ...a.run, promptId: 'support-answer', summary: { ...a.run.summary!, notRun: 0 } };
    const header = (r: EvalReport) => formatFinalTable({ ...r, runs: [a], baselines: [] }, { color: false, width: 100 }).split('\n').find((l) => l.startsWith('PROMPT'))!;
    const row = (r: EvalReport) => formatFinalTable({ ...r, runs: [a], baselines: [] }, { color: false, width: 100 }).split('\n').find((l) => l.includes('@1.1.0  '))!;
    expect(header(report)).not.toContain('NOT RUN');
    expect(row(report)).toMatch(/^support-answer@1\.1\.0 /);
    a.run.summary = { ...a.run.summary!, notRun: 1 };
    expect(header(report)).toContain('NOT RUN');
  });
});
