import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/core/schemas/report.js';
import { formatComparison } from '../../src/render/compare.js';
import { formatFinalTable } from '../../src/render/final-table.js';
import { caseOf } from '../../src/render/html/model.js';
import { toJUnitXml } from '../../src/render/junit.js';
import { toMarkdownSummary } from '../../src/render/markdown.js';
import { md } from '../../src/render/markdown-escape.js';
import { fixtureReport } from './fixtures.js';

/**
 * A case's inputs (and, where they are shown escaped, its outputs) in every display that shows a
 * control character as an escape: a real ESC reads `\e`, so a typed backslash-e must read `\\e`, or
 * `real \e[31m / literal \e[31m` hides which is which. Text with no control character keeps its
 * backslashes as typed (a Windows path reads as one).
 */

const MIXED = 'real \u001b[31m / literal \\e[31m';
const PATH = 'C:\\temp\\new \\e[31m';

/** The fixture with the failing case's question (and its first failing output) set to `text`. */
function reportWith(text: string): EvalReport {
  const report = fixtureReport();
  const c = report.runs[0]!.cases.find((x) => x.caseId === 'refund-window')!;
  c.vars = { question: text };
  c.samples[0] = { ...c.samples[0]!, output: text };
  return report;
}

const refund = (r: EvalReport) => ({ run: r.runs[0]!, c: r.runs[0]!.cases.find((x) => x.caseId === 'refund-window')! });
const junitFailure = (r: EvalReport): string => {
  const doc = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: true, trimValues: false, isArray: (n) => ['testsuite', 'testcase', 'failure'].includes(n) }).parse(toJUnitXml(r));
  const tc = (doc.testsuites.testsuite[0].testcase as Array<Record<string, unknown>>).find((t) => t['@_name'] === 'refund-window')!;
  return (tc['failure'] as Array<Record<string, string>>)[0]!['#text']!;
};

/** Each display, and the line it shows the text on. */
const DISPLAYS: Array<[string, (r: EvalReport, text: string) => string, (shown: string) => string]> = [
  ['the terminal after a run', (r) => formatFinalTable(r, { color: false, whyFailed: true }), (s) => `  inputs: question: ${s}\n`],
  ['JUnit', (r) => junitFailure(r), (s) => `inputs: question: ${s}\n`],
  ['the Markdown summary', (r) => toMarkdownSummary(r), (s) => `| ${md(`question: ${s}`, 120)} |`],
  ['compare (inputs)', (_r, t) => formatComparison({ promptId: 'p', a: '1.0.0', b: '1.1.0', rows: [{ suite: 'faq', caseId: 'c', verdictA: 'pass', verdictB: 'fail', outputA: 'x', outputB: 'y', vars: { question: t } } as never] }, { color: false, width: 200 }), (s) => `  input: question: ${s}\n`],
  ['compare (outputs)', (_r, t) => formatComparison({ promptId: 'p', a: '1.0.0', b: '1.1.0', rows: [{ suite: 'faq', caseId: 'c', verdictA: 'pass', verdictB: 'pass', outputA: 'x', outputB: t }] }, { color: false, width: 200 }), (s) => `│ ${s}\n`],
  ['the HTML report (inputs)', (r) => caseOf(0, refund(r).run, refund(r).c, { outcomes: r.runs } as never).inputs![0]!.value, (s) => s],
  ['the HTML report (output)', (r) => caseOf(0, refund(r).run, refund(r).c, { outcomes: r.runs } as never).a.output, (s) => s],
];

describe.each(DISPLAYS)('%s', (_name, show, line) => {
  it('tells a real escape from a typed backslash-e', () => {
    expect(show(reportWith(MIXED), MIXED)).toContain(line('real \\e[31m / literal \\\\e[31m'));
  });

  it('shows backslashes as typed when nothing is escaped', () => {
    expect(show(reportWith(PATH), PATH)).toContain(line(PATH));
  });
});
