import type { CaseOutcome, CaseVerdict } from './schemas/report.js';
import type { FailureReason, SampleResult, ToolCall } from './schemas/run.js';

/**
 * Two versions' verdicts and answers for the same case, and what changed between them. What a
 * reviewer needs first is what changed for the worse, so rows are ordered: regressions, fixes,
 * other verdict changes (an errored side among them: an error says nothing about the prompt), then cases whose verdict held but whose answer differs. An answer is its
 * text and its tool calls (name and arguments, in order): a change of calls is a changed output.
 * A case with several samples is identical only when every sample pair (by index) is, and its pass
 * count held: one shown sample per side cannot speak for the others.
 */

/** Passing samples of a case's samples (`2/3`). */
export interface SampleTally {
  passed: number;
  total: number;
}

export interface ComparisonRow {
  suite: string;
  caseId: string;
  verdictA: CaseVerdict;
  verdictB: CaseVerdict;
  outputA: string;
  outputB: string;
  /** The shown sample's tool calls (the final answer's, `exchange.toolCalls`), when it made any. */
  toolCallsA?: ToolCall[];
  toolCallsB?: ToolCall[];
  /** Why a side that did not pass failed: the shown sample's reasons, when it has any. */
  reasonsA?: FailureReason[];
  reasonsB?: FailureReason[];
  /** The shown sample's transport or server error, when it errored. */
  errorA?: string;
  errorB?: string;
  /** Each side's passing samples, when either side has more than one sample. */
  samplesA?: SampleTally;
  samplesB?: SampleTally;
  /** Set when some sample pair (by index, or a sample one side lacks) differs in answer, beyond the shown ones. */
  samplesDiffer?: true;
}

export type ChangeKind = 'regression' | 'fix' | 'changed' | 'same-verdict' | 'identical';

const ORDER: ChangeKind[] = ['regression', 'fix', 'changed', 'same-verdict', 'identical'];

/**
 * The sample a case is shown (and compared) by, one that agrees with its verdict: a case that passed
 * by its first passing sample (a failing one, shown without a reason beside PASS, read as a wrong
 * answer; an errored one has no output), else its first answer (min_pass_rate 0); a case that did
 * not pass by its first failing sample, else its first errored one. Else the first.
 */
export function shownSample(c: CaseOutcome): SampleResult | undefined {
  const first = (v: SampleResult['verdict']): SampleResult | undefined => c.samples.find((s) => s.verdict === v);
  if (c.verdict === 'pass') return first('pass') ?? first('fail') ?? c.samples[0];
  return first('fail') ?? first('error') ?? c.samples[0];
}

/** The same calls in the same order, each with the same name and the same argument text. */
export function sameToolCalls(a: readonly ToolCall[] = [], b: readonly ToolCall[] = []): boolean {
  return a.length === b.length && a.every((c, i) => c.name === b[i]!.name && c.arguments === b[i]!.arguments);
}

/** One side of a row, from its case: the shown sample's answer, and why the case did not pass. */
function sideOf(c: CaseOutcome): { output: string; toolCalls?: ToolCall[]; reasons?: FailureReason[]; error?: string } {
  const s = shownSample(c);
  const calls = s?.exchange?.toolCalls;
  const failing = c.verdict !== 'pass';
  return {
    output: s?.output ?? '',
    ...(calls?.length ? { toolCalls: calls } : {}),
    ...(failing && s?.reasons.length ? { reasons: s.reasons } : {}),
    ...(failing && s?.error ? { error: s.error } : {}),
  };
}

function tally(c: CaseOutcome): SampleTally {
  return { passed: c.samples.filter((s) => s.verdict === 'pass').length, total: c.samples.length };
}

/** The same answer: the same text and the same tool calls. */
function sameAnswer(a: SampleResult, b: SampleResult): boolean {
  return a.output === b.output && sameToolCalls(a.exchange?.toolCalls, b.exchange?.toolCalls);
}

/** Every sample pair, by index, gives the same answer (and neither side has a sample the other lacks). */
function sameSamples(a: CaseOutcome, b: CaseOutcome): boolean {
  const byIndex = (c: CaseOutcome) => [...c.samples].sort((x, y) => x.sample - y.sample);
  const [xs, ys] = [byIndex(a), byIndex(b)];
  return xs.length === ys.length && xs.every((s, i) => s.sample === ys[i]!.sample && sameAnswer(s, ys[i]!));
}

/** The row of a case both versions ran. */
export function comparisonRow(suite: string, caseId: string, a: CaseOutcome, b: CaseOutcome): ComparisonRow {
  const x = sideOf(a);
  const y = sideOf(b);
  const several = a.samples.length > 1 || b.samples.length > 1;
  return {
    suite,
    caseId,
    verdictA: a.verdict,
    verdictB: b.verdict,
    outputA: x.output,
    outputB: y.output,
    ...(x.toolCalls ? { toolCallsA: x.toolCalls } : {}),
    ...(y.toolCalls ? { toolCallsB: y.toolCalls } : {}),
    ...(x.reasons ? { reasonsA: x.reasons } : {}),
    ...(y.reasons ? { reasonsB: y.reasons } : {}),
    ...(x.error ? { errorA: x.error } : {}),
    ...(y.error ? { errorB: y.error } : {}),
    ...(several ? { samplesA: tally(a), samplesB: tally(b) } : {}),
    ...(several && !sameSamples(a, b) ? { samplesDiffer: true as const } : {}),
  };
}

/** A verdict about the prompt's answer: `error` and `not-run` say only that no answer was judged. */
export function judged(v: CaseVerdict): boolean {
  return v === 'pass' || v === 'fail';
}

/** Errored or not run on both sides: no answer to compare (counted apart from the changed outputs it is classified with). */
export function unansweredOnBoth(r: Pick<ComparisonRow, 'verdictA' | 'verdictB'>): boolean {
  return !judged(r.verdictA) && !judged(r.verdictB);
}

/** Both sides passed as many of as many samples (or neither counts its samples). */
function samePassCount(a?: SampleTally, b?: SampleTally): boolean {
  return a?.passed === b?.passed && a?.total === b?.total;
}

/**
 * Regression: it passed on A and failed on B; fix: the reverse; changed: any other verdict move.
 * An error (server, timeout) is no verdict on the prompt: a case that errored (or did not run) on
 * either side is neither a regression nor a fix, as the regression gate leaves it out
 * (core/regression-rates.ts).
 * Identical: the same answers and pass count; a held verdict with any other change is same-verdict,
 * and so is a case with no answer on either side.
 */
export function classifyChange(r: ComparisonRow): ChangeKind {
  if (r.verdictA !== r.verdictB) {
    if (!judged(r.verdictA) || !judged(r.verdictB)) return 'changed';
    if (r.verdictA === 'pass') return 'regression';
    if (r.verdictB === 'pass') return 'fix';
    return 'changed';
  }
  // Errored (or not run) on both sides: two empty outputs say nothing alike, so it is shown, never folded into "identical".
  if (!judged(r.verdictA)) return 'same-verdict';
  const same = r.outputA === r.outputB && sameToolCalls(r.toolCallsA, r.toolCallsB) && !r.samplesDiffer && samePassCount(r.samplesA, r.samplesB);
  return same ? 'identical' : 'same-verdict';
}

/** Rows in review order; stable within each kind, so input order (suite, case) is kept. */
export function orderRows<R extends ComparisonRow>(rows: R[]): Array<{ row: R; kind: ChangeKind }> {
  return rows
    .map((row, i) => ({ row, kind: classifyChange(row), i }))
    .sort((x, y) => ORDER.indexOf(x.kind) - ORDER.indexOf(y.kind) || x.i - y.i)
    .map(({ row, kind }) => ({ row, kind }));
}
