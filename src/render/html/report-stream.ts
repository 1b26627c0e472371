import type { PagedReportSources } from '../../app/report-pages.js';
import type { RunOutcome } from '../../core/schemas/report.js';
import type { RunSummary } from '../../core/schemas/run.js';
import type { PagedRun } from '../../infra/eval/report-pages.js';
import { percentile } from '../../core/scoring/aggregate.js';
import { chunksOf, encodeCases } from './compact.js';
import { jsonForScript } from './escape.js';
import { describeExpectation } from './expectations.js';
import { buildReportData, caseOf, type Totals } from './model.js';
import { resultOf, type ReportResult } from './report-file.js';
import { renderHtmlAround } from './template.js';

/**
 * A run report written as it is read: the cards and tables come from the registry's tallies, then
 * the cases are turned into the page's data one registry page at a time and handed to the writer,
 * so a 100,000-case report never holds its cases, nor its HTML, at once. Same file as `reportHtml`.
 */

/** Totals (and, for a run without a recorded summary, its summary) from tallies: what `totalsOf` counts from samples. */
function tallyTotals(label: string, runs: PagedRun[]): Totals {
  const n = (v: string) => runs.reduce((k, r) => k + r.verdicts.filter((x) => x === v).length, 0);
  const cases = runs.reduce((k, r) => k + r.cases.length, 0);
  const lat = runs.flatMap((r) => r.tally.latencies);
  return {
    label,
    cases,
    passed: n('pass'),
    failed: n('fail'),
    errored: n('error'),
    notRun: n('not-run'),
    passRate: cases ? n('pass') / cases : 0,
    samples: runs.reduce((k, r) => k + r.tally.samples, 0),
    errorSamples: runs.reduce((k, r) => k + r.tally.errorSamples, 0),
    latencyP50: percentile(lat, 50),
    latencyP95: percentile(lat, 95),
    tokensIn: runs.reduce((k, r) => k + r.tally.tokensIn, 0),
    tokensOut: runs.reduce((k, r) => k + r.tally.tokensOut, 0),
  };
}

function summaryOfTally(r: PagedRun): RunSummary {
  const t = tallyTotals('', [r]);
  return { cases: t.cases, passed: t.passed, failed: t.failed, errored: t.errored, notRun: t.notRun, samples: t.samples, passRate: t.passRate, verdict: 'incomplete', latencyP50: t.latencyP50, latencyP95: t.latencyP95, latencyP99: percentile(r.tally.latencies, 99), tokensIn: t.tokensIn, tokensOut: t.tokensOut };
}

/** The report's HTML as chunks to write in order, and its numbers once written. */
export function streamReportHtml(sources: PagedReportSources): { chunks: AsyncGenerator<string>; summary: (file: string) => ReportResult } {
  // Described case by case, not cached: a cache by case would hold every case's lines.
  const input = { ...sources, expectations: (o: RunOutcome, caseId: string) => sources.expectations(o, caseId).map(describeExpectation) };
  const d = buildReportData(input);
  d.runs.forEach((r, i) => {
    if (!sources.runs[i]!.run.summary) r.summary = summaryOfTally(sources.runs[i]!);
  });
  d.totals = [tallyTotals('all runs', sources.runs)];
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
