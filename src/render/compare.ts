import { Chalk, type ChalkInstance } from 'chalk';
import type { CaseVerdict } from '../core/schemas/report.js';
import type { FailureReason, ToolCall } from '../core/schemas/run.js';
import { judged, orderRows, unansweredOnBoth, type ChangeKind, type ComparisonRow, type SampleTally } from '../core/compare.js';
import { cutMiddle, displayWidth, fitWidth, padWidth, wrapWidth } from './table.js';
import { counted, oneLine, showEscaped } from './text.js';
import { inputsLine, type CaseTurns, type CaseVars } from './case-inputs.js';
import { shownCall } from './shown-answer.js';

export { classifyChange, orderRows, type ChangeKind, type ComparisonRow } from '../core/compare.js';

/**
 * Side-by-side outputs of two versions for the same cases (`promptctl compare`). What a reviewer
 * needs first is what changed for the worse, so rows are ordered: regressions, fixes, other verdict
 * changes, then cases whose verdict held but whose output (text or tool calls, of any sample) or
 * pass count differs; identical outputs are only counted. A side shows its tool calls above its text, and a side that did not
 * pass shows why under it.
 */

export interface ComparisonInput {
  promptId: string;
  /** Version on the left, usually the deployed one. */
  a: string;
  /** Version on the right, usually the candidate. */
  b: string;
  /** `vars`: what the case asked (its variables over base_vars, then a conversation's `turns`), shown above the two outputs. */
  rows: Array<ComparisonRow & { vars?: CaseVars; turns?: CaseTurns }>;
}

export interface ComparisonOptions {
  color: boolean;
  /** Terminal columns available. */
  width: number;
  /** Lines of output shown per side and case. */
  maxLines?: number;
}

/** A side that was not judged (a server error, or no run): such a row is never a regression or a fix (core/compare.ts). */
function unjudged(row: ComparisonRow): boolean {
  return !judged(row.verdictA) || !judged(row.verdictB);
}

function countLine(input: ComparisonInput, kinds: ChangeKind[]): string {
  const n = (k: ChangeKind): number => kinds.filter((x) => x === k).length;
  // Errors are reported apart from wrong answers: said beside the counts, which hold them as other verdict changes.
  const oneSide = input.rows.filter((r) => r.verdictA !== r.verdictB && unjudged(r)).length;
  const unanswered = input.rows.filter(unansweredOnBoth).length;
  return `${input.promptId}: ${input.a} vs ${input.b} — ${counted(input.rows.length, 'case')}: ${comparedCountsText(n, { oneSide, unanswered })}`;
}

/**
 * `changeCountsText`, then the cases counted apart: those that errored or did not run on one side
 * (among the other verdict changes), and those with no answer on either side (shown with the
 * changed outputs, but none, so taken out of that count). compare's and report's words alike.
 */
export function comparedCountsText(n: (k: ChangeKind) => number, apart: { oneSide?: number; unanswered?: number }): string {
  const both = apart.unanswered ?? 0;
  const said = [
    apart.oneSide ? `${counted(apart.oneSide, 'case')} errored or did not run on one side: no verdict on the prompt, so neither a regression nor a fix` : '',
    both ? `${counted(both, 'case')} errored or did not run on both sides: no answer to compare` : '',
  ].filter(Boolean);
  return `${changeCountsText((k) => n(k) - (k === 'same-verdict' ? both : 0))}${said.length ? ` (${said.join('; ')})` : ''}`;
}

/** `2 regressions, 1 fix, 0 other verdict changes, 1 changed output, 3 identical`: compare's and report's words for the same counts. */
export function changeCountsText(n: (k: ChangeKind) => number): string {
  const s = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;
  return [
    s(n('regression'), 'regression', 'regressions'),
    s(n('fix'), 'fix', 'fixes'),
    s(n('changed'), 'other verdict change', 'other verdict changes'),
    s(n('same-verdict'), 'changed output', 'changed outputs'),
    `${n('identical')} identical`,
  ].join(', ');
}

function paintVerdict(v: CaseVerdict, c: ChalkInstance): string {
  const text = v.toUpperCase();
  return v === 'pass' ? c.green(text) : v === 'fail' ? c.red(text) : c.yellow(text);
}

function flat(text: string): string {
  // Line breaks are kept visible as ↵ so a multi-line answer still reads as one block per side; a
  // control or bidi character is shown escaped, never dropped: the row is there because the answers differ.
  return showEscaped(text).replace(/\r\n?|\n/g, ' ↵ ').replace(/[\t ]+/g, ' ').trim();
}

/** Reasons shown per failing side; the rest are counted. */
const MAX_REASONS = 2;

/**
 * One side of a case: its tool calls (`→ name(arguments)`), its text, and, when it did not pass,
 * why (`✗ expectation: message`, or the error), each cut to the column.
 */
function sideLines(side: { verdict: CaseVerdict; output: string; calls?: ToolCall[]; reasons?: FailureReason[]; error?: string }, width: number, maxLines: number): string[] {
  const calls = (side.calls ?? []).flatMap((k) => wrapWidth(flat(shownCall(k)), width, 2));
  const text = flat(side.output);
  const lines = [...calls, ...(text !== '' ? wrapWidth(text, width, maxLines) : calls.length ? [] : ['(empty output)'])];
  if (side.verdict === 'pass') return lines;
  const reasons = side.reasons ?? [];
  const why = [...(side.error ? [`error: ${side.error}`] : []), ...reasons.map((r) => `${r.expectation}: ${r.message}`)];
  for (const w of why.slice(0, MAX_REASONS)) lines.push(...wrapWidth(flat(`✗ ${w}`), width, 2));
  if (why.length > MAX_REASONS) lines.push(fitWidth(`✗ (+${why.length - MAX_REASONS} more)`, width));
  return lines;
}

function block(entry: { row: ComparisonRow; kind: ChangeKind }, input: ComparisonInput, opts: ComparisonOptions, c: ChalkInstance): string {
  const { row, kind } = entry;
  const gutter = ' │ ';
  const col = Math.max(8, Math.floor((opts.width - 2 - gutter.length) / 2));
  const maxLines = opts.maxLines ?? 3;
  const tag = kind === 'regression' ? 'REGRESSION' : kind === 'fix' ? 'FIX' : unjudged(row) ? 'ERRORED' : kind === 'changed' ? 'CHANGED' : 'OUTPUT';
  const paint = kind === 'regression' ? c.red : kind === 'fix' ? c.green : kind === 'changed' ? c.yellow : c.dim;
  // With several samples a verdict hides how many passed: `FAIL 2/3 → FAIL 0/3`.
  const count = (t: SampleTally | undefined): string => (t ? ` ${t.passed}/${t.total}` : '');
  const verdicts = `${row.verdictA.toUpperCase()}${count(row.samplesA)} → ${row.verdictB.toUpperCase()}${count(row.samplesB)}`;
  // The case id gets the line's width less the tag and verdicts, cut in its middle: its end tells cases apart.
  const id = cutMiddle(`${row.suite}/${row.caseId}`, Math.max(8, opts.width - displayWidth(`${tag}   ${verdicts}`)));
  const title = `${paint(tag)} ${id}  ${paintVerdict(row.verdictA, c)}${count(row.samplesA)} → ${paintVerdict(row.verdictB, c)}${count(row.samplesB)}`;
  const left = sideLines({ verdict: row.verdictA, output: row.outputA, calls: row.toolCallsA, reasons: row.reasonsA, error: row.errorA }, col, maxLines);
  const right = sideLines({ verdict: row.verdictB, output: row.outputB, calls: row.toolCallsB, reasons: row.reasonsB, error: row.errorB }, col, maxLines);
  // Shown as the outputs are (the terminal is local): unredacted, control characters escaped, on one line, cut to the width.
  const asked = inputsLine(row as ComparisonRow & { vars?: CaseVars; turns?: CaseTurns }, { shared: false });
  const lines = [title, ...(asked ? [`  ${c.dim('input:')} ${fitWidth(oneLine(asked, opts.width * 2), Math.max(8, opts.width - 9))}`] : []), `  ${c.dim(padWidth(input.a, col))}${gutter}${c.dim(fitWidth(input.b, col))}`];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    lines.push(`  ${padWidth(left[i] ?? '', col)}${gutter}${right[i] ?? ''}`.trimEnd());
  }
  return lines.join('\n');
}

/**
 * The line naming what `compare` evaluated (what had no stored run), each run as its side is named:
 * `id@1.1.0:model-b golden` when the sides named their models, where one version on two models
 * would otherwise read the same for either side.
 */
export function evaluatedText(data: { promptId: string; runs: Array<{ version: string; suite: string; evaluated: boolean; model?: string }> }): string[] {
  const ran = data.runs.filter((r) => r.evaluated).map((r) => `${data.promptId}@${r.version}${r.model !== undefined ? `:${r.model}` : ''} ${r.suite}`);
  return ran.length ? [`evaluated what had no stored run on the current suite content and settings: ${ran.join(', ')}`] : [];
}

export function formatComparison(input: ComparisonInput, opts: ComparisonOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const ordered = orderRows(input.rows);
  const shown = ordered.filter((e) => e.kind !== 'identical');
  const identical = ordered.length - shown.length;
  // The count line wraps at word boundaries to the width (a cut one would hide counts).
  const counts = wrapWidth(countLine(input, ordered.map((e) => e.kind)), opts.width, Number.POSITIVE_INFINITY).map((l) => c.bold(l));
  const parts = [counts.join('\n'), ...shown.map((e) => block(e, input, opts, c))];
  if (identical > 0) parts.push(c.dim(`${identical} case${identical === 1 ? '' : 's'} with identical output not shown`));
  return `${parts.join('\n\n')}\n`;
}
