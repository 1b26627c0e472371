import type { EvalReport, RateInterval, RunOutcome } from '../core/schemas/report.js';
import { attackFraction, fractionAtMinimum, resistanceFraction, roundTo } from '../core/threshold-format.js';
import { attackIntervals, runIntervals } from '../core/eval/intervals.js';
import { secondsBetween } from './text.js';
import { passRateShown, runStats, versionLabel } from './run-stats.js';
import { attrs, secs } from './junit-xml.js';
import { incompleteProperties } from './incomplete-text.js';
import { baselineCases, extraSuite, missingShardsSuite, type ExtraSuite } from './junit-suites.js';
import { caseKind, caseSeconds, testcase, type CaseKind, type NotGating } from './junit-cases.js';

export { baselineCases, type ExtraSuite } from './junit-suites.js';

export { stripIllegalXml, xmlAttr, xmlText } from './junit-xml.js';

/**
 * JUnit XML for CI systems (GitHub, GitLab, Jenkins all read the same de-facto schema). One
 * <testsuite> per run, one <testcase> per case (junit-cases.ts). Written by hand: the format is small, and a writer
 * library would not know which characters a model may emit. Every string goes through `xmlText`
 * or `xmlAttr`, which also drop the characters XML 1.0 forbids outright. JUnit files are uploaded
 * as CI artifacts, so model text (outputs, reason messages and excerpts) goes through
 * `redactForSharing`: PII masked, canaries as `CANARY-…`. `expected` is the suite's own text.
 */

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
    // No attack judged (every request errored, or none was sent): no rate to state, left out as text
    // and Markdown say `–` (categoryRateText, resistanceText); 0.0000 read as a measured rate.
    (s.categories ?? []).forEach((c, i) => {
      props.push([`attack.${c.category}.attacks`, c.attacks]);
      props.push([`attack.${c.category}.succeeded`, c.succeeded]);
      if (!c.attacks) return;
      props.push([`attack.${c.category}.successRate`, attackFraction(c.successRate)]);
      props.push(...intervalProps(`attack.${c.category}.successRate`, attacks.categories?.[i]?.successRate));
    });
    if (s.resistance !== undefined) {
      if (s.attacks) props.push(['injection.resistance', resistanceFraction(s.resistance)]);
      props.push(['attacks.run', s.attacks ?? 0]);
      props.push(['attacks.succeeded', s.attacksSucceeded ?? 0]);
      if (s.attacks && attacks.attackSuccessRate) props.push(['attacks.successRate', attackFraction(attacks.attackSuccessRate.estimate)], ...intervalProps('attacks.successRate', attacks.attackSuccessRate));
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
