import { Chalk, type ChalkInstance } from 'chalk';
import type { CaseVerdict } from '../core/schemas/report.js';
import { orderRows, type ChangeKind, type ComparisonRow } from '../core/compare.js';
import { fitWidth, padWidth, wrapWidth } from './table.js';
import { oneLine, sanitize } from './text.js';
import { inputsLine, type CaseVars } from './case-inputs.js';

export { classifyChange, orderRows, type ChangeKind, type ComparisonRow } from '../core/compare.js';

/**
 * Side-by-side outputs of two versions for the same cases (`promptctl compare`). What a reviewer
 * needs first is what changed for the worse, so rows are ordered: regressions, fixes, other verdict
 * changes, then cases whose verdict held but whose output differs; identical outputs are only counted.
 */

export interface ComparisonInput {
  promptId: string;
  /** Version on the left, usually the deployed one. */
  a: string;
  /** Version on the right, usually the candidate. */
  b: string;
  /** `vars`: what the case asked (its variables over base_vars), shown above the two outputs. */
  rows: Array<ComparisonRow & { vars?: CaseVars }>;
}

export interface ComparisonOptions {
  color: boolean;
  /** Terminal columns available. */
  width: number;
  /** Lines of output shown per side and case. */
  maxLines?: number;
}

function countLine(input: ComparisonInput, kinds: ChangeKind[]): string {
  const n = (k: ChangeKind): number => kinds.filter((x) => x === k).length;
  const s = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;
  return (
    `${input.promptId}: ${input.a} vs ${input.b} — ${s(input.rows.length, 'case', 'cases')}: ` +
    [
      s(n('regression'), 'regression', 'regressions'),
      s(n('fix'), 'fix', 'fixes'),
      s(n('changed'), 'other verdict change', 'other verdict changes'),
      s(n('same-verdict'), 'changed output', 'changed outputs'),
      `${n('identical')} identical`,
    ].join(', ')
  );
}

function paintVerdict(v: CaseVerdict, c: ChalkInstance): string {
  const text = v.toUpperCase();
  return v === 'pass' ? c.green(text) : v === 'fail' ? c.red(text) : c.yellow(text);
}

function outputLines(output: string, width: number, maxLines: number): string[] {
  // Line breaks are kept visible as ↵ so a multi-line answer still reads as one block per side.
  const flat = sanitize(output).replace(/\r\n?|\n/g, ' ↵ ').replace(/[\t ]+/g, ' ').trim();
  if (flat === '') return ['(empty output)'];
  return wrapWidth(flat, width, maxLines);
}

function block(entry: { row: ComparisonRow; kind: ChangeKind }, input: ComparisonInput, opts: ComparisonOptions, c: ChalkInstance): string {
  const { row, kind } = entry;
  const gutter = ' │ ';
  const col = Math.max(8, Math.floor((opts.width - 2 - gutter.length) / 2));
  const maxLines = opts.maxLines ?? 3;
  const tag = kind === 'regression' ? c.red('REGRESSION') : kind === 'fix' ? c.green('FIX') : kind === 'changed' ? c.yellow('CHANGED') : c.dim('OUTPUT');
  const title = `${tag} ${fitWidth(`${row.suite}/${row.caseId}`, Math.max(8, opts.width - 40))}  ${paintVerdict(row.verdictA, c)} → ${paintVerdict(row.verdictB, c)}`;
  const left = outputLines(row.outputA, col, maxLines);
  const right = outputLines(row.outputB, col, maxLines);
  // Shown as the outputs are (the terminal is local): sanitised, on one line, cut to the width.
  const asked = inputsLine((row as ComparisonRow & { vars?: CaseVars }).vars, { shared: false });
  const lines = [title, ...(asked ? [`  ${c.dim('input:')} ${fitWidth(oneLine(asked, opts.width * 2), Math.max(8, opts.width - 9))}`] : []), `  ${c.dim(padWidth(input.a, col))}${gutter}${c.dim(fitWidth(input.b, col))}`];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    lines.push(`  ${padWidth(left[i] ?? '', col)}${gutter}${right[i] ?? ''}`.trimEnd());
  }
  return lines.join('\n');
}

export function formatComparison(input: ComparisonInput, opts: ComparisonOptions): string {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const ordered = orderRows(input.rows);
  const shown = ordered.filter((e) => e.kind !== 'identical');
  const identical = ordered.length - shown.length;
  const parts = [c.bold(countLine(input, ordered.map((e) => e.kind))), ...shown.map((e) => block(e, input, opts, c))];
  if (identical > 0) parts.push(c.dim(`${identical} case${identical === 1 ? '' : 's'} with identical output not shown`));
  return `${parts.join('\n\n')}\n`;
}
