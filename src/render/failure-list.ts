import type { ChalkInstance } from 'chalk';
import type { CaseOutcome, EvalReport, RunOutcome } from '../core/schemas/report.js';
import type { SampleResult } from '../core/schemas/run.js';
import { percentsAtMinimum } from '../core/threshold-format.js';
import { redactServerError } from '../core/detectors/redact.js';
import { inputsLine } from './case-inputs.js';
import { noReasonParts, reasonParts } from './failure-text.js';
import { versionLabel } from './run-stats.js';
import { oneLine } from './text.js';

/**
 * Why each case failed, printed when `eval` ends (terminal and log alike): the live view keeps only
 * the latest failures and the plain lines stop after a cap, so this is where every failing case is
 * named, with each distinct reason of its samples. Capped so a run where everything failed stays
 * readable; past the cap, it says where every case is (the HTML report, `--json`).
 */

/** Cases listed, and reasons per case. */
export const LISTED_CASES = 20;
export const LISTED_REASONS = 5;
/** How much of an output each reason shows (around a difference, two thirds of it each side). */
const EVIDENCE_WIDTH = 90;
const INPUTS_MAX = 160;

/** One distinct reason of a case: its words, the output it points at, and the samples that gave it. */
interface CaseReason {
  said: string;
  evidence: string;
  samples: number[];
}

type Parts = { said: string; evidence: string };

/** A case's reasons, the same reason of several samples once (by what the scorer said, not the output). */
export function caseReasons(c: CaseOutcome): CaseReason[] {
  const byKey = new Map<string, { sample: SampleResult; render: () => Parts; samples: number[] }>();
  const add = (key: string, sample: SampleResult, render: () => Parts) => {
    const seen = byKey.get(key);
    if (seen) seen.samples.push(sample.sample);
    else byKey.set(key, { sample, render, samples: [sample.sample] });
  };
  for (const s of c.samples) {
    // A server's error body may echo the request: redacted as outputs and inputs are, but the server's own address stays readable.
    if (s.verdict === 'error') add(`error\u0000${s.error ?? ''}`, s, () => ({ said: `error: ${oneLine(redactServerError(s.error ?? 'unknown error'), 200)}`, evidence: '' }));
    else if (s.verdict === 'fail' && s.reasons.length === 0) add('failed', s, () => noReasonParts(s.output, EVIDENCE_WIDTH));
    else if (s.verdict === 'fail') for (const r of s.reasons) add(`${r.expectation}\u0000${r.message}`, s, () => reasonParts(r, s.output, EVIDENCE_WIDTH));
  }
  // Worded only when listed: wording redacts, and a case may hold hundreds of samples.
  return [...byKey.values()].map((v) => {
    let parts: Parts | undefined;
    const words = () => (parts ??= v.render());
    return { get said() { return words().said; }, get evidence() { return words().evidence; }, samples: v.samples };
  });
}

/** `0/1 samples passed`; with several samples, the case's own threshold too. */
function samplesText(c: CaseOutcome): string {
  const passed = c.samples.filter((s) => s.verdict === 'pass').length;
  const of = `${passed}/${c.samples.length} samples passed`;
  return c.samples.length > 1 ? `${of}, needs ${percentsAtMinimum(c.passRate, c.minPassRate).limit}` : of;
}

function caseLines(o: RunOutcome, c: CaseOutcome, paint: ChalkInstance): string[] {
  const word = c.verdict === 'fail' ? paint.red('FAIL') : paint.yellow('ERROR');
  const lines = [`${word} ${versionLabel(o)} ${o.run.suite}/${c.caseId} (${samplesText(c)})`];
  const inputs = inputsLine(c);
  if (inputs) lines.push(`  inputs: ${oneLine(inputs, INPUTS_MAX)}`);
  const reasons = caseReasons(c);
  const several = c.samples.length > 1;
  let previous = '';
  for (const r of reasons.slice(0, LISTED_REASONS)) {
    // Several reasons about one output show it once, on the first of them.
    const evidence = r.evidence === previous ? '' : r.evidence;
    previous = r.evidence;
    lines.push(`  ${several ? `${r.samples.map((n) => `#${n}`).join(' ')} ` : ''}${r.said}${evidence}`);
  }
  if (reasons.length > LISTED_REASONS) lines.push(`  … ${reasons.length - LISTED_REASONS} more reasons`);
  return lines;
}

/** Where every case is, for what the list leaves out. */
function whereAll(report: EvalReport): string {
  return `\`promptctl report ${report.invocationId}\` (every case, in report.html) or \`--json\``;
}

/** The section, or null when no case failed or errored. */
export function failureListSection(report: EvalReport, paint: ChalkInstance): string | null {
  const failing = report.runs.flatMap((o) => o.cases.filter((c) => c.verdict === 'fail' || c.verdict === 'error').map((c) => ({ o, c })));
  if (failing.length === 0) return null;
  const errors = failing.some(({ c }) => c.verdict === 'error');
  const lines = [paint.bold(`Why cases ${errors ? 'failed or errored' : 'failed'} (${failing.length})`)];
  for (const { o, c } of failing.slice(0, LISTED_CASES)) lines.push(...caseLines(o, c, paint));
  const cutReasons = failing.slice(0, LISTED_CASES).some(({ c }) => caseReasons(c).length > LISTED_REASONS);
  const more = failing.length - LISTED_CASES;
  if (more > 0) lines.push(`… ${more} more ${more === 1 ? 'case' : 'cases'} not listed: ${whereAll(report)}`);
  else if (cutReasons) lines.push(`every reason: ${whereAll(report)}`);
  return lines.join('\n');
}
