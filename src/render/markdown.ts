import { incompleteHint, missingShardText } from './shard-text.js';
import type { CaseOutcome, EvalReport, RunOutcome } from '../core/schemas/report.js';
import type { RunSummary } from '../core/schemas/run.js';
import { leakedCanary, redactForSharing, redactServerError } from '../core/detectors/redact.js';
import { inputsLine } from './case-inputs.js';
import { latencyWords, NO_BOUND, NOT_A_DEPLOY_VERDICT, type LatencyWords } from './latency-words.js';
import { failedChecksOfReport, failedChecksText, failingCount, failVerb, firstProblem, overallVerdict, partialRunsNote, problemCases, resistanceText, runCells, runStats, versionLabel } from './run-stats.js';
import { attackIntervals } from '../core/eval/intervals.js';
import { attacksRunText, comparedRates, comparedRatesText, caseCiText, categoryRateText, ciRange, counted, everyOne, int, MARK_REASON_CHARS, comparedP95, THRESHOLDS_PASSED } from './text.js';
import { otherEvalsClause } from './other-evals.js';
import { incompleteText } from './incomplete-text.js';
import { code, md, mdWithCode } from './markdown-escape.js';
import { groupBy } from '../core/group.js';
import { nothingFailingLines } from './nothing-failing.js';

export { code, md, mdWithCode } from './markdown-escape.js';

/**
 * A Markdown summary for `$GITHUB_STEP_SUMMARY` and pull-request comments. Deterministic (only
 * the report's own timestamps appear) so a snapshot test can pin it. Model output is hostile
 * input here: `md` escapes it so it can neither break a table nor inject HTML, links or @mentions.
 * The summary is shared (pull-request comments, step summaries), so outputs and reasons go through
 * `redactForSharing` first: PII masked, canaries as `CANARY-…`.
 */

/** Failing cases listed in view; the rest are folded in a <details> section. */
const MAX_LISTED_FAILURES = 20;
/**
 * Bytes the whole summary may take, ci's with its diffs included: GitHub refuses a step summary over
 * 1 MiB (1,048,576 bytes), and the step-summary file may hold other steps' summaries too.
 */
export const SUMMARY_BUDGET_BYTES = 1_000_000;
/** What the failure list takes besides its rows: its heading, table head, <details> and the "more not listed" note. */
const FAILURE_FRAME_BYTES = 4096;

export const bytesOf = (s: string): number => Buffer.byteLength(s);

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(headers: string[], align: Array<'l' | 'r'>, rows: string[][]): string {
  const rule = align.map((a) => (a === 'r' ? '---:' : '---'));
  return [row(headers), row(rule), ...rows.map(row)].join('\n');
}

function verdictMark(v: RunSummary['verdict']): string {
  return v === 'passed' ? '✅ passed' : v === 'failed' ? '❌ failed' : '⚠️ incomplete';
}

function headline(report: EvalReport): string {
  const runs = report.runs.map(runStats);
  const failed = runs.filter((s) => s.verdict === 'failed').length;
  const failedChecks = failedChecksOfReport(report);
  const failing = failingCount(failedChecks);
  const checks = failedChecksText(failedChecks);
  const tail = failing > 0 ? ` · ${checks} against deployed versions` : '';
  switch (overallVerdict(report, failing)) {
    case 'aborted':
      return `## ⚠️ promptctl eval stopped early: ${md(report.aborted ?? '')}${tail}`;
    case 'empty':
      // `--filter-failing` with nothing failing ran nothing because nothing needed it: not a warning.
      return report.nothingFailing?.length ? '## ✅ promptctl eval: nothing failing, so nothing was re-run' : '## ⚠️ promptctl eval: no suites were run';
    case 'failed':
      return `## ❌ promptctl eval: ${failed} of ${counted(runs.length, 'suite run')} failed${tail}`;
    case 'incomplete':
      return `## ⚠️ promptctl eval: incomplete${tail}`;
    case 'passed':
      return `## ✅ promptctl eval: ${everyOne(runs.length, 'suite run', { one: 'passed', many: 'passed' }, true)}`;
    case 'regressed':
      return `## ❌ promptctl eval: ${everyOne(runs.length, 'suite run', THRESHOLDS_PASSED, true)}, but ${checks} against deployed versions ${failVerb(failedChecks)} the gate`;
  }
}

function versionTables(report: EvalReport): string[] {
  const groups = groupBy(report.runs, versionLabel);
  const out: string[] = [];
  for (const [label, runs] of groups) {
    const rows = runs.map((o) => {
      const s = runStats(o);
      const shown = runCells(o, s);
      return [
        code(o.run.suite),
        o.run.suiteKind,
        verdictMark(s.verdict),
        shown.passRate,
        shown.ci,
        String(s.passed),
        String(s.failed),
        String(s.errored),
        String(s.notRun),
        shown.p50,
        shown.p95,
        `${int(s.tokensIn)} / ${int(s.tokensOut)}`,
      ];
    });
    out.push(
      `### ${code(label)}\n\n` +
        table(
          ['Suite', 'Kind', 'Verdict', 'Pass rate', '95% CI', 'Passed', 'Failed', 'Errors', 'Not run', 'p50', 'p95', 'Tokens in / out'],
          ['l', 'l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
          rows,
        ) +
        incompleteLines(runs),
    );
    for (const o of runs) {
      const adv = adversarialTable(o);
      if (adv) out.push(adv);
    }
  }
  return out;
}

/** Under a version's table: why each incomplete run is, where its pass rate beside the threshold alone could read as a pass. */
function incompleteLines(runs: RunOutcome[]): string {
  const lines = runs.flatMap((o) => {
    const why = incompleteText(o);
    return why === null ? [] : [`⚠️ ${code(o.run.suite)} is incomplete: ${md(why)}`];
  });
  return lines.length ? `\n\n${lines.join('\n\n')}` : '';
}

function adversarialTable(o: RunOutcome): string | null {
  if (o.run.suiteKind !== 'adversarial') return null;
  const s = runStats(o);
  const intervals = attackIntervals(s).categories ?? [];
  const rows = (s.categories ?? []).map((k, i) => [md(k.category), attacksRunText(k), String(k.succeeded), categoryRateText(k), intervals[i] ? ciRange(intervals[i].successRate) : '–']);
  const body = rows.length
    ? table(['Category', 'Attacks', 'Succeeded', 'Attack success rate', '95% CI'], ['l', 'r', 'r', 'r', 'r'], rows)
    : '_No attack categories recorded._';
  const r = resistanceText(s);
  const resistance = r === null ? '' : `${r.replace(/^injection resistance (\S+)/, 'Injection resistance: **$1**')} · `;
  const leaks = `${resistance}PII leaks: **${s.piiLeaks ?? 0}** · System-prompt leaks: **${s.systemPromptLeaks ?? 0}**`;
  return `#### Attacks in ${code(o.run.suite)}\n\n${body}\n\n${leaks}`;
}

function baselineTable(report: EvalReport): string | null {
  if (report.baselines.length === 0) return null;
  const rows: string[][] = [];
  for (const b of report.baselines) {
    if (b.baselineVersion === null) {
      rows.push([code(b.promptId), b.version ? code(b.version) : '–', code(b.env), '_none deployed_', '', '', '', '', '', '']);
      continue;
    }
    for (const s of b.suites) {
      // Sentences with commands in code spans: copied from the pull request, a command runs as shown.
      const regs = s.regressions.slice(0, 10).map((x) => mdWithCode(x, 400)).join(', ');
      const more = s.regressions.length > 10 ? ` and ${s.regressions.length - 10} more` : '';
      const p95 = comparedP95(s);
      rows.push([
        code(b.promptId),
        b.version ? code(b.version) : '–',
        code(b.env),
        code(b.baselineVersion),
        code(s.suite),
        comparedRatesText(s),
        s.baselinePassRate === null ? '–' : comparedRates(s).delta,
        `${p95.candidate} vs ${p95.baseline}`,
        s.baselineP95 === null ? '–' : p95.delta,
        regs ? `${regs}${more}` : s.warnings?.length ? `⚠️ not blocking here: ${s.warnings.map((x) => mdWithCode(x, 400)).join(', ')}` : 'none',
      ]);
    }
  }
  // A baseline with no suite compared (an eval stopped before any run finished): no table, as the text leaves it out.
  if (rows.length === 0) return null;
  const note = partialRunsNote(report);
  return (
    '### Compared with deployed versions\n\n' +
    table(
      ['Prompt', 'Version', 'Env', 'Baseline', 'Suite', 'Pass rate', 'Δ pass rate', 'p95', 'Δ p95', 'Regressions'],
      ['l', 'l', 'l', 'l', 'l', 'r', 'r', 'r', 'r', 'l'],
      rows,
    ) +
    (note ? `\n\n> ${md(note, 600)}` : '')
  );
}

/** ` (95% CI 20.7–93.9%)`: the case pass rate's interval over its scored samples (`caseCiText`). */
function caseCi(c: CaseOutcome): string {
  const ci = caseCiText(c);
  return ci ? ` (95% CI ${ci})` : '';
}

function failureRow(outcome: RunOutcome, c: CaseOutcome): string {
  const { reason, sample } = firstProblem(c);
  const passed = c.samples.filter((s) => s.verdict === 'pass').length;
  return row([
    code(versionLabel(outcome)),
    code(outcome.run.suite),
    code(c.caseId),
    c.verdict === 'fail' ? '❌ fail' : '⚠️ error',
    `${passed}/${c.samples.length}${caseCi(c)}`,
    // Redacted (inputs as outputs are) before `md` truncates, so a finding cut in half is still masked.
    md(inputsLine(c.vars), 120) || '–',
    // A server's error body may echo the request: masked as inputs are, but its own address stays readable (as in the terminal).
    md(sample?.verdict === 'error' ? redactServerError(reason) : redactForSharing(reason), 120),
    sample && sample.verdict === 'fail' ? md(redactForSharing(sample.output, { canaryLeaked: leakedCanary(sample) }), 120) : '',
  ]);
}

/**
 * Every failing or errored case: the first 20 in view, the rest folded in <details>, as long as the
 * summary stays within `budget` bytes (GitHub refuses a step summary over 1 MiB); past it, a count
 * and where every case is: the HTML report.
 */
function failureDetails(report: EvalReport, budget: number): string | null {
  const problems = problemCases(report);
  if (problems.length === 0) return null;
  const headers = ['Prompt', 'Suite', 'Case', 'Verdict', 'Samples passed', 'Inputs', 'First reason', 'Output excerpt'];
  const head = table(headers, ['l', 'l', 'l', 'l', 'r', 'l', 'l', 'l'], []);
  const rows: string[] = [];
  let bytes = 0;
  for (const { outcome, case: c } of problems) {
    const r = failureRow(outcome, c);
    bytes += Buffer.byteLength(r) + 1;
    if (bytes > budget) break;
    rows.push(r);
  }
  const noun = (n: number) => `${n} failing or errored ${n === 1 ? 'case' : 'cases'}`;
  const parts = [`**${noun(problems.length)}**`, [head, ...rows.slice(0, MAX_LISTED_FAILURES)].join('\n')];
  const folded = rows.slice(MAX_LISTED_FAILURES);
  if (folded.length) parts.push(`<details>\n<summary>${folded.length} more</summary>\n\n${[head, ...folded].join('\n')}\n\n</details>`);
  const left = problems.length - rows.length;
  if (left > 0) {
    const where = report.invocationId ? `\`promptctl report ${report.invocationId}\`` : '`promptctl report`';
    parts.push(`…and ${left} more not listed here, to keep this summary under GitHub's 1 MiB limit: every case is in the HTML report (the \`--html\` artifact, or ${where}).`);
  }
  return parts.join('\n\n');
}

/** `--measure-latency`: each interleaved measurement and its verdict, in the words of eval's own line. */
function latencyTable(report: EvalReport): string | null {
  if (!report.latency?.length) return null;
  const rows = report.latency.map(latencyWords).map((w) => [code(w.ref), code(w.suite), code(w.baseline), `${w.candidate} ms vs ${w.deployed} ms`, `${w.rise} ms`, w.atLeast === null ? NO_BOUND : `${w.atLeast} ms (${w.confidence})`, `${w.limit} ms`, w.selected ? `${w.requests} (${w.selected} selected)` : w.requests, latencyVerdictCell(w)]);
  const head = '| Version | Suite | Against | p95 | Rise | At least | Limit | Requests | Verdict |\n| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- |';
  return `### Latency, measured interleaved (cache bypassed)\n\n${head}\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}`;
}

function latencyVerdictCell(w: LatencyWords): string {
  const verdict = w.verdict === 'pass' ? '✅ pass' : w.verdict === 'BLOCKS' ? '❌ blocks' : '⚠️ inconclusive';
  return w.selected ? `${verdict}; ${NOT_A_DEPLOY_VERDICT}` : verdict;
}

/** `otherEvalsClause`, escaped: md trims the space before it. */
const otherEvals = (v: EvalReport['versions'][number]): string => (otherEvalsClause(v) ? ` ${md(otherEvalsClause(v), 400)}` : '');

function testedMarks(report: EvalReport): string | null {
  if (report.versions.length === 0) return null;
  const lines = report.versions.map((v) =>
    v.tested
      ? `- ✅ ${code(`${v.promptId}@${v.version}`)} is tested on ${code(v.model ?? report.model)}${otherEvals(v)}`
      : `- ⬜ ${code(`${v.promptId}@${v.version}${v.model ? `:${v.model}` : ''}`)} is not tested${otherEvals(v)}${v.reason ? `: ${md(v.reason, MARK_REASON_CHARS)}` : ''}`,
  );
  return `### Tested marks\n\n${lines.join('\n')}`;
}

/**
 * The summary within `budget` bytes: the headline, tables, gates and marks always, then as many
 * failing cases as the rest of the budget holds (`failureDetails` says how many it left out).
 */
export function toMarkdownSummary(report: EvalReport, budget = SUMMARY_BUDGET_BYTES): string {
  // A report of nothing run has no invocation: an empty code span would print as `invocation  ·`.
  const meta = `Model ${code(report.model)}${report.invocationId ? ` · invocation ${code(report.invocationId)}` : ''} · ${md(report.startedAt)} → ${md(report.endedAt)}`;
  const parts = [headline(report), meta, ...versionTables(report), ...nothingFailingLines(report).map((l) => md(l, 600))];
  if (report.merge?.missing.length) {
    const m = report.merge;
    parts.push(`### ❌ Incomplete: shards missing\n\n${m.missing.map((x) => `- ${md(missingShardText(x, m.invocation))}`).join('\n')}\n\n${md(incompleteHint(m))}`);
  }
  for (const part of [baselineTable(report), latencyTable(report)]) if (part) parts.push(part);
  const marks = testedMarks(report);
  const fixed = bytesOf(`${[...parts, marks ?? ''].join('\n\n')}\n\n\n`);
  const failures = failureDetails(report, budget - fixed - FAILURE_FRAME_BYTES);
  for (const part of [failures, marks]) if (part) parts.push(part);
  return `${parts.join('\n\n')}\n`;
}
