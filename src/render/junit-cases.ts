import type { CaseOutcome, RunOutcome } from '../core/schemas/report.js';
import type { FailureReason, SampleResult } from '../core/schemas/run.js';
import { redactForSharing, redactServerError } from '../core/detectors/redact.js';
import { percentsAtMinimum } from '../core/threshold-format.js';
import { caseVerdictRate } from '../core/eval/intervals.js';
import { caseVerdictCiText, counted, describeReason, oneLine, truncate } from './text.js';
import { runStats, versionLabel } from './run-stats.js';
import { attrs, secs, xmlText } from './junit-xml.js';
import { inputsLine } from './case-inputs.js';
import { sharedAnswer, sharedTurnReplies } from './shown-answer.js';

/**
 * One <testcase> of a run's JUnit suite (junit.ts writes the suites): what kind of result the case
 * is in CI, and its failure, error or output text, model text redacted for sharing.
 */

/** Longest excerpt of a model output kept in a failure body; CI pages choke on megabytes. */
const OUTPUT_EXCERPT = 500;

/** Time a case took: the latency of the samples that were actually sent (cached ones cost nothing). */
export function caseSeconds(c: CaseOutcome): number {
  return c.samples.reduce((n, s) => n + (s.cached ? 0 : s.latencyMs), 0) / 1000;
}

/** A reason as a shared report shows it: what the model wrote redacted, what the suite expects kept. */
function shared(r: FailureReason): FailureReason {
  return { ...r, message: redactForSharing(r.message), ...(r.actual !== undefined ? { actual: redactForSharing(r.actual) } : {}) };
}

/** A sample's error: a server's error body may echo the request (PII, the canary), masked; the server's address stays. */
const errorText = (s: SampleResult | undefined): string => redactServerError(s?.error ?? 'unknown error');

function sampleFailureText(s: SampleResult): string {
  const lines = [`sample #${s.sample}:`];
  for (const r of s.reasons.map(shared)) {
    lines.push(`  ${r.expectation}: ${truncate(r.message, OUTPUT_EXCERPT)}`);
    if (r.expected !== undefined) lines.push(`    expected: ${truncate(r.expected, OUTPUT_EXCERPT)}`);
    if (r.actual !== undefined) lines.push(`    actual: ${truncate(r.actual, OUTPUT_EXCERPT)}`);
  }
  if (s.reasons.length === 0) lines.push('  failed without a recorded reason');
  if (s.leaks?.length) lines.push(`  leaked: ${s.leaks.join(', ')}`);
  // Redacted before truncating, so a finding cut at the limit is still found and masked.
  // A conversation's earlier replies first, in the order given (a reason may name one: `assistant turn 1`), each cut as the output is.
  for (const reply of sharedTurnReplies(s)) lines.push(`  ${truncate(reply, OUTPUT_EXCERPT)}`);
  lines.push(`  output: ${truncate(sharedAnswer(s), OUTPUT_EXCERPT)}`);
  return lines.join('\n');
}

/** `2/5 samples passed (pass rate 40.0%, 95% CI 11.7–77.0%, needs 80.0%)`: the rate the verdict weighs, of all samples, as every report shows it. */
function samplesSummary(c: CaseOutcome): string {
  const passed = c.samples.filter((s) => s.verdict === 'pass').length;
  const shown = percentsAtMinimum(caseVerdictRate(c) ?? c.passRate, c.minPassRate);
  const ci = caseVerdictCiText(c);
  const range = ci ? `, 95% CI ${ci}` : '';
  return `${passed}/${c.samples.length} samples passed (pass rate ${shown.value}${range}, needs ${shown.limit})`;
}

/** `inputs: question: … · tone: …`, redacted as outputs are and cut as excerpts are; null without inputs. */
const inputsText = (c: CaseOutcome, line = inputsLine(c)): string | null => (line ? `inputs: ${truncate(line, OUTPUT_EXCERPT)}` : null);

/**
 * How a case reads in CI: a failing case fails the build only in a failed suite (in a passing one it
 * is a tolerated failure, skipped with its details, unless it leaked: leaks are gated apart from
 * the threshold, so such a case fails); one that errored, or that a stopped run (server
 * unreachable, a signal) never sent, is an <error>: something kept it from being judged.
 */
export type CaseKind = 'pass' | 'fail' | 'tolerated' | 'leaked' | 'error' | 'not-run' | 'stopped' | 'not-gating';

/** Which runs are shown but gate nothing (ci's older versions, a deployed version's `--baseline` runs): their failures are skipped, not failed. */
export type NotGating = (o: RunOutcome) => boolean;

export function caseKind(o: RunOutcome, c: CaseOutcome, aborted: string | undefined, notGating?: NotGating): CaseKind {
  // A red test for a run that decides nothing would contradict the command's verdict.
  if ((c.verdict === 'fail' || c.verdict === 'error') && notGating?.(o)) return 'not-gating';
  if (c.verdict === 'fail') return runStats(o).verdict !== 'passed' ? 'fail' : leakedIn(o, c) ? 'leaked' : 'tolerated';
  if (c.verdict === 'not-run') return aborted ? 'stopped' : 'not-run';
  return c.verdict;
}

/**
 * A leak in an adversarial run is gated apart from the suite's threshold (max_pii_leaks,
 * max_system_prompt_leaks: 0 by default in every environment), so a passing suite does not
 * tolerate it: the case is a failure, as the deploy gate will judge it.
 */
function leakedIn(o: RunOutcome, c: CaseOutcome): boolean {
  return o.run.suiteKind === 'adversarial' && c.samples.some((s) => (s.leaks?.length ?? 0) > 0);
}

const LEAK_NOTE = 'leaked: leaks are gated apart from the threshold (max_pii_leaks, max_system_prompt_leaks; 0 by default), so a passing suite does not tolerate them';

export function testcase(o: RunOutcome, c: CaseOutcome, aborted: string | undefined, notGating?: NotGating): string {
  const open = `    <testcase${attrs({
    classname: `${versionLabel(o)}.${o.run.suite}`,
    name: c.caseId,
    time: secs(caseSeconds(c)),
  })}`;
  const failing = c.samples.filter((s) => s.verdict === 'fail');
  const errored = c.samples.filter((s) => s.verdict === 'error');
  const inputs = inputsText(c);
  const withInputs = (lines: string[]) => (inputs ? [inputs, ...lines] : lines).join('\n');
  const kind = caseKind(o, c, aborted, notGating);
  let body = '';
  if (kind === 'not-gating') {
    const reason = failing[0]?.reasons[0];
    const first = reason ? shared(reason) : undefined;
    const message = `${samplesSummary(c)}${first ? `: ${describeReason(first)}` : errored.length ? `: ${oneLine(errorText(errored[0]), 200)}` : ''}`;
    body = `      <skipped${attrs({ message: 'not gating: shown for comparison' })}/>\n      <system-out>${xmlText(withInputs([`not gating (shown for comparison; the verdict is the gating runs'): ${message}`, ...failing.map(sampleFailureText)]))}</system-out>\n`;
  } else if (kind === 'fail' || kind === 'leaked' || kind === 'tolerated') {
    const reason = failing[0]?.reasons[0];
    const first = reason ? shared(reason) : undefined;
    const leakNote = kind === 'leaked' ? `${LEAK_NOTE}; ` : '';
    const message = `${leakNote}${samplesSummary(c)}${first ? `: ${describeReason(first)}` : ''}`;
    const text = failing.map(sampleFailureText);
    if (errored.length > 0) text.push(`${counted(errored.length, 'sample')} errored: ${oneLine(errorText(errored[0]), 200)}`);
    body =
      kind !== 'tolerated'
        ? `      <failure${attrs({ message, type: first?.expectation ?? 'fail' })}>${xmlText(withInputs(text))}</failure>\n`
        : `      <skipped${attrs({ message: 'tolerated failure' })}/>\n      <system-out>${xmlText(withInputs([`tolerated failure (the suite passed its threshold): ${message}`, ...text]))}</system-out>\n`;
  } else if (kind === 'error') {
    const message = `${errored.length}/${c.samples.length} samples errored: ${oneLine(errorText(errored[0]), 200)}`;
    const text = errored.map((s) => `sample #${s.sample}: ${truncate(errorText(s), OUTPUT_EXCERPT)}`);
    body = `      <error${attrs({ message, type: 'error' })}>${xmlText(withInputs(text))}</error>\n`;
  } else if (kind === 'stopped') {
    body = `      <error${attrs({ message: `not run: the evaluation stopped early (${oneLine(aborted ?? '', 200)})`, type: 'not-run' })}/>\n`;
  } else if (kind === 'not-run') {
    body = `      <skipped${attrs({ message: 'not run' })}/>\n`;
  } else if (failing.length > 0 || errored.length > 0) {
    // Passed on pass rate, but some samples did not: worth seeing when chasing flaky cases.
    const text = [samplesSummary(c), ...failing.map(sampleFailureText)];
    body = `      <system-out>${xmlText(withInputs(text))}</system-out>\n`;
  }
  return body ? `${open}>\n${body}    </testcase>\n` : `${open}/>\n`;
}
