import type { CaseOutcome, RunOutcome } from '../../core/schemas/report.js';
import type { SampleResult } from '../../core/schemas/run.js';
import { redactServerError } from '../../core/detectors/redact.js';
import { sharedInputs } from '../case-inputs.js';
import { countVerdicts, percentile, type VerdictCounts } from '../../core/scoring/aggregate.js';
import { caseVerdictRate } from '../../core/eval/intervals.js';
import { HAND_WRITTEN } from '../../core/eval/aggregate.js';
import { parseTemplate } from '../../core/template.js';
import { percentsAtMinimum } from '../../core/threshold-format.js';
import { classifyChange, comparisonRow, orderRows, shownSample, unansweredOnBoth, type ComparisonRow } from '../../core/compare.js';
import { caseVerdictCiText } from '../text.js';
import { runTag } from '../run-stats.js';
import { countedCases, summaryOf, totalsOf } from './totals.js';
import type { ReportCase, ReportData, ReportInput, ReportRun, ReportSample, ReportSide } from './types.js';
import { callsOf, cap, MAX_OUTPUT_CHARS, MAX_REASON_CHARS, reasonsOf, redactServer, repliesOf, shareable } from './shared-text.js';

export type * from './types.js';

/**
 * The data model of the HTML report: pure, built from run outcomes (the same shapes every other
 * renderer uses). Model text shows its escape sequences, control and bidi characters escaped
 * (`\e[8m`, `\u{202e}`: `showEscaped`, as the terminal's compare does) and is capped, so a runaway answer cannot make the file unusable; the page draws it with textContent.
 * The file is uploaded as a CI artifact, so model text is also redacted (`shareable`: PII masked,
 * canaries as `CANARY-…`) here, once: the page's previews, search and word diffs only ever see that.
 */

/** The rate the case's verdict weighs (core/eval/intervals.ts caseVerdictRate); null for a case not run: no pass rate. */
function verdictRate(c: CaseOutcome): number | null {
  return c.verdict === 'not-run' ? null : (caseVerdictRate(c) ?? c.passRate);
}

function besideMinimum(rate: number, min: number): { value: string; limit: string } {
  const { value, limit } = percentsAtMinimum(rate, min);
  return { value, limit };
}

/** Which sample the output shown is (core/compare.ts shownSample), in the words of its heading: `first failing sample, #1`. */
function shownFrom(shown: SampleResult, k: VerdictCounts): string {
  // A passed case's passing sample: "first passing" where one failed, which could come before it.
  const which = shown.verdict === 'fail' ? 'first failing' : shown.verdict === 'error' ? 'first errored' : k.fail ? 'first passing' : k.error ? 'first answered' : 'first';
  return `${which} sample, #${shown.sample}`;
}

/** The case as shown for one version. */
export function sideOf(c: CaseOutcome): ReportSide {
  const shown = shownSample(c);
  const scored = c.samples.filter((s) => s.verdict !== 'error');
  const k = countVerdicts(c.samples.map((s) => s.verdict));
  const rate = verdictRate(c);
  const errored = k.error;
  const side: ReportSide = {
    verdict: c.verdict,
    passRate: rate ?? 0,
    minPassRate: c.minPassRate,
    // Beside the minimum as every report shows it (percentsAtMinimum): a rate that missed never reads as met.
    ...(rate === null ? {} : { shown: besideMinimum(rate, c.minPassRate) }),
    output: shown ? shareable(shown.output, MAX_OUTPUT_CHARS, shown) : '',
    ...callsOf(shown),
    ...repliesOf(shown),
    reasons: reasonsOf(c.samples),
    latencyMs: scored.length ? percentile(scored.map((s) => s.latencyMs), 50) : null,
    tokensOut: c.samples.reduce((n, s) => n + s.tokensOut, 0),
  };
  if (errored && rate !== null) side.sampleCounts = { passed: k.pass, errored, of: c.samples.length };
  if (shown && c.samples.length > 1) side.shownFrom = shownFrom(shown, k);
  // The interval of the rate shown (all samples, an errored one not a pass), so the rate lies inside it.
  const ci = rate === null ? null : caseVerdictCiText(c);
  if (ci) side.passRateCi = ci;
  const error = c.samples.find((s) => s.error)?.error;
  // A server's error body may echo the request: masked as outputs are, its own address left readable.
  if (error) side.error = cap(redactServerError(error), MAX_REASON_CHARS);
  if (c.samples.length > 1) {
    side.samples = c.samples.map((s) => {
      const sample: ReportSample = { sample: s.sample, verdict: s.verdict, output: shareable(s.output, MAX_OUTPUT_CHARS, s), ...callsOf(s), ...repliesOf(s), latencyMs: s.latencyMs, tokensOut: s.tokensOut };
      if (s.error) sample.error = cap(s.error, MAX_REASON_CHARS);
      if (s.leaks?.length) sample.leaks = s.leaks;
      return sample;
    });
  }
  return side;
}

/**
 * Message templates as text and variable parts (core/template parses them), the text shown as outputs
 * are (`shareable`: redacted, capped, control and bidi characters escaped), so a template's U+202E
 * cannot reverse the line it is on; the inputs filled into it are escaped already.
 */
function messageParts(templates: ReadonlyArray<{ role: string; content: string }>): NonNullable<ReportRun['messages']> {
  return templates.map((m) => ({
    role: m.role,
    parts: parseTemplate(m.content).segments.map((s) => (s.kind === 'text' ? shareable(s.text, MAX_OUTPUT_CHARS) : { v: s.name })),
  }));
}

function runOf(o: RunOutcome, input: Pick<ReportInput, 'messageTemplates'>): ReportRun {
  const r = o.run;
  const templates = input.messageTemplates?.(r);
  const summary = r.summary ?? summaryOf(countedCases(o.cases));
  const tag = runTag(summary);
  return {
    id: r.id,
    invocationId: r.invocationId,
    promptId: r.promptId,
    version: r.version,
    suite: r.suite,
    kind: r.suiteKind,
    status: r.status,
    model: r.model,
    threshold: Number.isFinite(o.threshold) ? o.threshold : null,
    startedAt: r.startedAt,
    summary,
    ...(tag ? { tag } : {}),
    ...(templates ? { messages: messageParts(templates) } : {}),
  };
}

export function caseOf(run: number, o: RunOutcome, c: CaseOutcome, input: ReportInput): ReportCase {
  // An adversarial case of the suite's own (no attack pack) is `hand-written`, as the category tables call it.
  const category = c.category ?? c.samples.find((s) => s.category)?.category ?? (o.run.suiteKind === 'adversarial' ? HAND_WRITTEN : undefined);
  // Inputs (a conversation's turns too) are redacted as outputs are, then capped (control and bidi characters escaped) the same way.
  const inputs = c.vars ? sharedInputs(c.vars, c.turns).map((i) => ({ name: cap(i.name, 200), value: cap(i.value, MAX_OUTPUT_CHARS) })) : undefined;
  // The turns again by role, for the rendered messages: the page puts the model's replies into the open ones.
  const turns = c.turns?.map((t) => ({ role: t.role, ...(t.content === undefined ? {} : { content: shareable(t.content, MAX_OUTPUT_CHARS) }) }));
  return {
    run,
    suite: o.run.suite,
    caseId: c.caseId,
    ...(category ? { category } : {}),
    ...(inputs ? { inputs } : {}),
    ...(turns ? { turns } : {}),
    expectations: input.expectations?.(o, c.caseId) ?? [],
    a: sideOf(c),
  };
}

export function buildReportData(input: ReportInput): ReportData {
  const runs = input.outcomes.map((o) => runOf(o, input));
  const models = [...new Set(runs.map((r) => r.model))];
  const servers = [...new Set(input.outcomes.map((o) => redactServer(o.run.server)))];
  const base = {
    title: input.title,
    generatedAt: input.generatedAt,
    promptctlVersion: input.promptctlVersion,
    model: models.join(', '),
    server: servers.join(', '),
    invocations: [...new Set(runs.map((r) => r.invocationId))],
    notes: input.notes ?? [],
    runs,
    baselines: input.baselines ?? [],
    history: input.history ?? [],
    ...(input.verdict ? { verdict: input.verdict } : {}),
  };
  if (!input.comparison) {
    const cases = input.outcomes.flatMap((o, i) => o.cases.map((c) => caseOf(i, o, c, input)));
    return { kind: 'run', ...base, cases, totals: [totalsOf('all runs', input.outcomes.map((o) => countedCases(o.cases)))] };
  }
  const cmp = comparisonCases(input, input.comparison);
  const side = (pick: 'a' | 'b') => cmp.comparison!.groups.map((g) => input.outcomes[g[pick]]!);
  const { a, b } = input.comparison;
  return { kind: 'compare', ...base, ...cmp, totals: [totalsOf(a, side('a').map((o) => countedCases(o.cases))), totalsOf(b, side('b').map((o) => countedCases(o.cases)))] };
}

/** Pairs the two versions' cases per suite; changed verdicts first (the order `promptctl compare` uses). */
function comparisonCases(input: ReportInput, cmp: NonNullable<ReportInput['comparison']>): Pick<ReportData, 'comparison' | 'cases' | 'notes'> {
  const notes = [...(input.notes ?? [])];
  const groups: Array<{ suite: string; a: number; b: number }> = [];
  const rows: Array<{ row: ComparisonRow; value: ReportCase }> = [];
  const idx = (version: string, suite: string) => input.outcomes.findIndex((o) => o.run.promptId === cmp.promptId && o.run.version === version && o.run.suite === suite);
  const suites = [...new Set(input.outcomes.filter((o) => o.run.promptId === cmp.promptId).map((o) => o.run.suite))];
  for (const suite of suites) {
    const ia = idx(cmp.a, suite);
    const ib = idx(cmp.b, suite);
    if (ia < 0 || ib < 0) {
      notes.push(`suite ${suite} ran on ${ia < 0 ? cmp.b : cmp.a} only, so it is not compared`);
      continue;
    }
    const group = groups.push({ suite, a: ia, b: ib }) - 1;
    const oa = input.outcomes[ia]!;
    const ob = input.outcomes[ib]!;
    const bCases = new Map(ob.cases.map((c) => [c.caseId, c]));
    let matched = 0;
    for (const ca of oa.cases) {
      const cb = bCases.get(ca.caseId);
      if (!cb) continue;
      matched++;
      const value: ReportCase = { ...caseOf(group, oa, ca.vars ? ca : { ...ca, vars: cb.vars, turns: cb.turns }, input), b: sideOf(cb) };
      if (!value.expectations.length) value.expectations = input.expectations?.(ob, ca.caseId) ?? [];
      // Changes are classified on the raw answers (text and tool calls, as `promptctl compare` does),
      // never on what the page shows: two answers that differ only in an email, a bidi control or
      // past the cap still differ, even when both show the same text.
      const row = comparisonRow(suite, ca.caseId, ca, cb);
      value.change = classifyChange(row);
      if (unansweredOnBoth(row)) value.unanswered = true;
      rows.push({ row, value });
    }
    const onlyOne = oa.cases.length + ob.cases.length - 2 * matched;
    if (onlyOne > 0) notes.push(`${onlyOne} case${onlyOne === 1 ? '' : 's'} of suite ${suite} ran on one version only, so ${onlyOne === 1 ? 'it is' : 'they are'} not compared`);
  }
  const byRow = new Map(rows.map((r) => [r.row, r.value]));
  const cases = orderRows(rows.map((r) => r.row)).map((o) => byRow.get(o.row)!);
  return { comparison: { ...cmp, groups }, cases, notes };
}
