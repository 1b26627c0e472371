import { incompleteHint, missingShardText, shardsLacking } from './shard-text.js';
import type { CaseOutcome, EvalReport, RunOutcome } from '../core/schemas/report.js';
import { redactForSharing, redactServerError } from '../core/detectors/redact.js';
import { inputsLine } from './case-inputs.js';
import { sharedAnswer, sharedTurnReplies } from './shown-answer.js';
import { failedChecksOfReport, failedChecksText, failingCount, failVerb, firstProblem, overallVerdict, problemCases, runStats, versionLabel } from './run-stats.js';
import { caseVerdictCiText, counted, everyOne, MARK_REASON_CHARS, THRESHOLDS_PASSED } from './text.js';
import { otherEvalsClause } from './other-evals.js';
import { testedOn } from './tested-on.js';
import { code, md } from './markdown-escape.js';
import { nothingFailingLines } from './nothing-failing.js';
import { baselineTable, latencyTable, row, table, versionTables } from './markdown-tables.js';

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

/**
 * What a summary must fit and what its cut lists then say: the step summary (1 MiB), or the file
 * `ci --summary` writes, which the example workflows post as a pull-request comment (GitHub takes
 * at most 65,536 characters; a character is at least one byte, so bytes bound it). `why` ends
 * "…not listed here, <why>"; `cases` says where every case is, given the `promptctl report` command.
 */
export interface SummaryFit {
  bytes: number;
  why: string;
  cases: (report: string) => string;
}
export const STEP_SUMMARY_FIT: SummaryFit = {
  bytes: SUMMARY_BUDGET_BYTES,
  why: "to keep this summary under GitHub's 1 MiB limit",
  cases: (report) => `every case is in the HTML report (the \`--html\` artifact, or ${report})`,
};
/** The comment-sized file beside no step summary (GitLab, a job without `$GITHUB_STEP_SUMMARY`): it names none. */
export const COMMENT_ALONE_FIT: SummaryFit = {
  bytes: 65_000,
  why: 'to fit a pull-request comment (GitHub takes at most 65,536 characters)',
  cases: (report) => `every case is in the JUnit file and the HTML report (the \`--html\` artifact, or ${report})`,
};
export const COMMENT_FIT: SummaryFit = { ...COMMENT_ALONE_FIT, cases: (report) => `${COMMENT_ALONE_FIT.cases(report)}, and the job's step summary lists more` };
/** What the failure list takes besides its rows: its heading, table head, <details> and the "more not listed" note. */
const FAILURE_FRAME_BYTES = 4096;

export const bytesOf = (s: string): number => Buffer.byteLength(s);

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

/** ` (95% CI 20.7–93.9%)`: the interval of the rate beside it, passed of all samples, an errored one not a pass (`caseVerdictCiText`). */
function caseCi(c: CaseOutcome): string {
  const ci = caseVerdictCiText(c);
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
    md(inputsLine(c), 120) || '–',
    // A server's error body may echo the request: masked as inputs are, but its own address stays readable (as in the terminal).
    md(sample?.verdict === 'error' ? redactServerError(reason) : redactForSharing(reason), 120),
    // The final answer first (what was judged), then a conversation's earlier replies, in the one cut.
    sample && sample.verdict === 'fail' ? md([sharedAnswer(sample), ...sharedTurnReplies(sample)].join(' · '), 120) : '',
  ]);
}

/**
 * Every failing or errored case: the first 20 in view, the rest folded in <details>, as long as the
 * summary stays within `budget` bytes (GitHub refuses a step summary over 1 MiB, a comment over
 * 65,536 characters: `fit`); past it, a count and where every case is.
 */
function failureDetails(report: EvalReport, budget: number, fit: SummaryFit): string | null {
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
    parts.push(`…and ${left} more not listed here, ${fit.why}: ${fit.cases(where)}.`);
  }
  return parts.join('\n\n');
}

/** `otherEvalsClause`, escaped: md trims the space before it. */
const otherEvals = (v: EvalReport['versions'][number]): string => (otherEvalsClause(v) ? ` ${md(otherEvalsClause(v), 400)}` : '');

function testedMarks(report: EvalReport): string | null {
  if (report.versions.length === 0) return null;
  const lines = report.versions.map((v) =>
    v.tested
      ? `- ✅ ${code(`${v.promptId}@${v.version}`)} is tested on ${code(testedOn(report, v))}${otherEvals(v)}`
      : `- ⬜ ${code(`${v.promptId}@${v.version}${v.model ? `:${v.model}` : ''}`)} is not tested${otherEvals(v)}${v.reason ? `: ${md(v.reason, MARK_REASON_CHARS)}` : ''}`,
  );
  return `### Tested marks\n\n${lines.join('\n')}`;
}

/**
 * The summary within `budget` bytes: the headline, tables, gates and marks always, then as many
 * failing cases as the rest of the budget holds (`failureDetails` says how many it left out).
 */
export function toMarkdownSummary(report: EvalReport, budget = SUMMARY_BUDGET_BYTES, fit: SummaryFit = STEP_SUMMARY_FIT): string {
  // A report of nothing run has no invocation: an empty code span would print as `invocation  ·`.
  const meta = `Model ${code(report.model)}${report.invocationId ? ` · invocation ${code(report.invocationId)}` : ''} · ${md(report.startedAt)} → ${md(report.endedAt)}`;
  const parts = [headline(report), meta, ...versionTables(report), ...nothingFailingLines(report).map((l) => md(l, 600))];
  if (report.merge?.missing.length) {
    const m = report.merge;
    const lacking = { missing: 'shards missing', weights: 'shards answered by different weights', both: 'shards missing or answered by different weights' }[shardsLacking(m)];
    parts.push(`### ❌ Incomplete: ${lacking}\n\n${m.missing.map((x) => `- ${md(missingShardText(x, m.invocation))}`).join('\n')}\n\n${md(incompleteHint(m))}`);
  }
  for (const part of [baselineTable(report), latencyTable(report)]) if (part) parts.push(part);
  const marks = testedMarks(report);
  const fixed = bytesOf(`${[...parts, marks ?? ''].join('\n\n')}\n\n\n`);
  const failures = failureDetails(report, budget - fixed - FAILURE_FRAME_BYTES, fit);
  for (const part of [failures, marks]) if (part) parts.push(part);
  return `${parts.join('\n\n')}\n`;
}
