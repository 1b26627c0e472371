import type { PagedReportSources } from '../../app/report-pages.js';
import type { RunOutcome } from '../../core/schemas/report.js';
import type { PagedRun } from '../../infra/eval/report-pages.js';
import { chunksOf, encodeCases } from './compact.js';
import { jsonForScript } from './escape.js';
import { describeExpectation } from './expectations.js';
import { buildReportData, caseOf } from './model.js';
import { resultOf, type ReportResult } from './report-file.js';
import { renderHtmlAround } from './template.js';
import { summaryOf, totalsOf, type CountedRun } from './totals.js';

/**
 * A run report written as it is read: the cards and tables come from the registry's tallies, then
 * the cases are turned into the page's data one registry page at a time and handed to the writer,
 * so a 100,000-case report never holds its cases, nor its HTML, at once. Same file as `reportHtml`.
 */

/** A run the registry tallied, counted as totals.ts counts cases in memory. */
function countedTally(r: PagedRun): CountedRun {
  return { verdicts: r.verdicts, ...r.tally };
}

/** The report's HTML as chunks to write in order, and its numbers once written. */
export function streamReportHtml(sources: PagedReportSources): { chunks: AsyncGenerator<string>; summary: (file: string) => ReportResult } {
  // Described case by case, not cached: a cache by case would hold every case's lines.
  const input = { ...sources, expectations: (o: RunOutcome, caseId: string) => sources.expectations(o, caseId).map(describeExpectation) };
  const d = buildReportData(input);
  d.runs.forEach((r, i) => {
    if (!sources.runs[i]!.run.summary) r.summary = summaryOf(countedTally(sources.runs[i]!));
  });
  d.totals = [totalsOf('all runs', sources.runs.map(countedTally))];
  async function* chunks() {
    const [head, tail] = renderHtmlAround(d);
    yield head;
    let first = true;
    for await (const page of sources.pages()) {
      const o = { ...sources.outcomes[page.run]!, cases: page.cases };
      for (const chunk of chunksOf(page.cases.map((c) => caseOf(page.run, o, c, input)))) {
        const json = jsonForScript(encodeCases(chunk));
        yield first ? json : `,${json}`;
        first = false;
      }
    }
    yield tail;
  }
  return { chunks: chunks(), summary: (file) => resultOf(file, d) };
}
