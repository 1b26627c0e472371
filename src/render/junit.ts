import type { CaseOutcome, EvalReport, RunOutcome } from '../core/schemas/report.js';
import type { FailureReason, SampleResult } from '../core/schemas/run.js';
import { leakedCanary, redactForSharing, redactServerError } from '../core/detectors/redact.js';
import { attackFraction, fractionAtMinimum, percentsAtMinimum, resistanceFraction, roundTo } from '../core/threshold-format.js';
import { attackIntervals, runIntervals } from '../core/eval/intervals.js';
import type { RateInterval } from '../core/schemas/report.js';
import { caseCiText, counted, describeReason, oneLine, secondsBetween, truncate } from './text.js';
import { passRateShown, runStats, versionLabel } from './run-stats.js';
import { attrs, secs, xmlText } from './junit-xml.js';
import { inputsLine } from './case-inputs.js';
import { incompleteProperties } from './incomplete-text.js';
import { baselineCases, extraSuite, missingShardsSuite, type ExtraSuite } from './junit-suites.js';

export { baselineCases, type ExtraSuite } from './junit-suites.js';

export { stripIllegalXml, xmlAttr, xmlText } from './junit-xml.js';

/**
 * JUnit XML for CI systems (GitHub, GitLab, Jenkins all read the same de-facto schema). One
 * <testsuite> per run, one <testcase> per case. Written by hand: the format is small, and a writer
 * library would not know which characters a model may emit. Every string goes through `xmlText`
 * or `xmlAttr`, which also drop the characters XML 1.0 forbids outright. JUnit files are uploaded
 * as CI artifacts, so model text (outputs, reason messages and excerpts) goes through
 * `redactForSharing`: PII masked, canaries as `CANARY-…`. `expected` is the suite's own text.
 */

/** Longest excerpt of a model output kept in a failure body; CI pages choke on megabytes. */
const OUTPUT_EXCERPT = 500;

/** Time a case took: the latency of the samples that were actually sent (cached ones cost nothing). */
function caseSeconds(c: CaseOutcome): number {
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
  lines.push(`  output: ${truncate(redactForSharing(s.output, { canaryLeaked: leakedCanary(s) }), OUTPUT_EXCERPT)}`);
  return lines.join('\n');
}

function samplesSummary(c: CaseOutcome): string {
  const passed = c.samples.filter((s) => s.verdict === 'pass').length;
  const shown = percentsAtMinimum(c.passRate, c.minPassRate);
  const ci = caseCiText(c);
  const range = ci ? `, 95% CI ${ci}` : '';
  return `${passed}/${c.samples.length} samples passed (pass rate ${shown.value}${range}, needs ${shown.limit})`;
}

/** `inputs: question: … · tone: …`, redacted as outputs are and cut as excerpts are; null without inputs. */
const inputsText = (c: CaseOutcome, line = inputsLine(c.vars)): string | null => (line ? `inputs: ${truncate(line, OUTPUT_EXCERPT)}` : null);

/**
 * How a case reads in CI: a failing case fails the build only in a failed suite (in a passing one it
 * is a tolerated failure, skipped with its details, unless it leaked: leaks are gated apart from
 * the threshold, so such a case fails); one that errored, or that a stopped run (server
 * unreachable, a signal) never sent, is an <error>: something kept it from being judged.
 */
type CaseKind = 'pass' | 'fail' | 'tolerated' | 'leaked' | 'error' | 'not-run' | 'stopped' | 'not-gating';

/** Which runs are shown but gate nothing (ci's older versions, a deployed version's `--baseline` runs): their failures are skipped, not failed. */
type NotGating = (o: RunOutcome) => boolean;

function caseKind(o: RunOutcome, c: CaseOutcome, aborted: string | undefined, notGating?: NotGating): CaseKind {
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

function testcase(o: RunOutcome, c: CaseOutcome, aborted: string | undefined, notGating?: NotGating): string {
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

/** An interval's bounds as properties, at the rates' four decimals, rounded outward (the range holds the computed one). */
function intervalProps(name: string, iv: RateInterval | undefined): Array<[string, string]> {
  if (!iv) return [];
  const bound = (x: number, r: 'down' | 'up'): string => roundTo(x, 4, r).toFixed(4);
  return [[`${name}.ci95.lower`, bound(iv.lower, 'down')], [`${name}.ci95.upper`, bound(iv.upper, 'up')], [`${name}.ci95.method`, `${iv.method} over ${iv.over}`]];
}

function properties(o: RunOutcome, aborted: string | undefined): string {
  const s = runStats(o);
  const intervals = runIntervals(o, s);
  const props: Array<[string, string | number]> = [
    ['kind', o.run.suiteKind],
    ['model', o.run.model],
    ['verdict', s.verdict],
    // Beside passRate and threshold, which alone could read as a pass: why the run is incomplete, and the error rate that decides it.
    ...incompleteProperties(o, s),
    // An unjudged run has no pass rate, as in every format (passRateShown): its share would count cases not run as failed.
    // Beside the threshold with the decimals that agree with it (a rate read above it must have met it).
    ...(passRateShown(s) ? [['passRate', fractionAtMinimum(s.passRate, o.threshold)] as [string, string], ...intervalProps('passRate', intervals.passRate)] : []),
    ...(intervals.samplePassRate ? [['samplePassRate', intervals.samplePassRate.estimate.toFixed(4)] as [string, string], ...intervalProps('samplePassRate', intervals.samplePassRate)] : []),
    ['threshold', o.threshold],
    ['latencyP50Ms', Math.round(s.latencyP50)],
    ['latencyP95Ms', Math.round(s.latencyP95)],
    ['tokensIn', s.tokensIn],
    ['tokensOut', s.tokensOut],
  ];
  // <testsuites> has no standard place for it, so every suite carries why the invocation stopped.
  if (aborted) props.push(['aborted', aborted]);
  if (o.run.suiteKind === 'adversarial') {
    const attacks = attackIntervals(s);
    (s.categories ?? []).forEach((c, i) => {
      props.push([`attack.${c.category}.attacks`, c.attacks]);
      props.push([`attack.${c.category}.succeeded`, c.succeeded]);
      props.push([`attack.${c.category}.successRate`, attackFraction(c.successRate)]);
      props.push(...intervalProps(`attack.${c.category}.successRate`, attacks.categories?.[i]?.successRate));
    });
    if (s.resistance !== undefined) {
      props.push(['injection.resistance', resistanceFraction(s.resistance)]);
      props.push(['attacks.run', s.attacks ?? 0]);
      props.push(['attacks.succeeded', s.attacksSucceeded ?? 0]);
      if (attacks.attackSuccessRate) props.push(['attacks.successRate', attackFraction(attacks.attackSuccessRate.estimate)], ...intervalProps('attacks.successRate', attacks.attackSuccessRate));
    }
    props.push(['leaks.pii', s.piiLeaks ?? 0]);
    props.push(['leaks.systemPrompt', s.systemPromptLeaks ?? 0]);
  }
  const items = props.map(([name, value]) => `      <property${attrs({ name, value })}/>\n`).join('');
  return `    <properties>\n${items}    </properties>\n`;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: number;
}

function countCases(o: RunOutcome, aborted: string | undefined, notGating?: NotGating): Counts {
  const kinds = o.cases.map((c) => caseKind(o, c, aborted, notGating));
  const n = (...k: CaseKind[]): number => kinds.filter((x) => k.includes(x)).length;
  const caseTime = o.cases.reduce((t, c) => t + caseSeconds(c), 0);
  return {
    tests: o.cases.length,
    failures: n('fail', 'leaked'),
    errors: n('error', 'stopped'),
    skipped: n('not-run', 'tolerated', 'not-gating'),
    // Samples run concurrently, so wall-clock time is the honest figure when the run has both ends.
    time: secondsBetween(o.run.startedAt, o.run.endedAt) ?? caseTime,
  };
}

/** `eval`'s JUnit: its runs and, with --baseline, a `gate` suite, so a regression that fails the eval fails the test view too. */
export function evalJUnit(report: EvalReport): string {
  const gate = baselineCases(report.baselines, undefined, report.merge);
  return toJUnitXml(report, gate.length ? [{ name: 'gate', cases: gate }] : [], { notGating: (o) => o.asDeployedIn !== undefined });
}

/** `name`: the root's name, for a command other than eval writing the file (`promptctl ci`). */
export function toJUnitXml(report: EvalReport | undefined, extra: ExtraSuite[] = [], opts: { name?: string; notGating?: NotGating } = {}): string {
  const suites: string[] = [];
  const total: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0, time: 0 };
  for (const s of [...extra, ...missingShardsSuite(report?.merge)]) {
    const x = extraSuite(s);
    suites.push(x.xml);
    total.tests += x.tests;
    total.failures += x.failures;
    total.errors += x.errors;
    total.skipped += x.skipped;
  }
  for (const o of report?.runs ?? []) {
    const c = countCases(o, report?.aborted, opts.notGating);
    total.tests += c.tests;
    total.failures += c.failures;
    total.errors += c.errors;
    total.skipped += c.skipped;
    total.time += c.time;
    const open = `  <testsuite${attrs({
      name: `${versionLabel(o)} ${o.run.suite}`,
      tests: c.tests,
      failures: c.failures,
      errors: c.errors,
      skipped: c.skipped,
      time: secs(c.time),
      timestamp: o.run.startedAt,
    })}>\n`;
    suites.push(open + properties(o, report?.aborted) + o.cases.map((k) => testcase(o, k, report?.aborted, opts.notGating)).join('') + '  </testsuite>\n');
  }
  const root = `<testsuites${attrs({
    name: opts.name ?? (report ? 'promptctl eval' : 'promptctl'),
    tests: total.tests,
    failures: total.failures,
    errors: total.errors,
    skipped: total.skipped,
    time: secs((report ? secondsBetween(report.startedAt, report.endedAt) : null) ?? total.time),
  })}>\n`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}${suites.join('')}</testsuites>\n`;
}
