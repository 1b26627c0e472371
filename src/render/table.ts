/**
 * Column layout for plain-text tables and side-by-side views. Widths are measured in terminal
 * columns, not UTF-16 units, so CJK text and emoji in model outputs do not break alignment; colour
 * is applied after padding so escape codes never count towards a width.
 */

import { displayWidth, graphemes, graphemeWidth, isOneColumnEach } from './display-width.js';

export { displayWidth } from './display-width.js';

/** Cuts `s` to at most `width` columns, ending in `…` when something was cut. */
export function fitWidth(s: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(s) <= width) return s;
  if (isOneColumnEach(s)) return `${s.slice(0, width - 1)}…`;
  let out = '';
  let w = 0;
  for (const { segment } of graphemes(s)) {
    const gw = graphemeWidth(segment);
    if (w + gw > width - 1) break;
    out += segment;
    w += gw;
  }
  return out + '…';
}

/**
 * Cuts `s` to at most `width` columns by taking letters out of its middle (`supp…swer`): for names
 * whose end tells them apart (prompt ids, case ids), where fitWidth would keep only a shared prefix.
 */
export function cutMiddle(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  if (width <= 2) return fitWidth(s, width);
  if (isOneColumnEach(s)) {
    const head = Math.ceil((width - 1) / 2);
    return `${s.slice(0, head)}…${s.slice(s.length - (width - 1 - head))}`;
  }
  // Whole grapheme clusters, so a flag or a conjunct is kept or cut whole, never split.
  const clusters = Array.from(graphemes(s), (g) => ({ text: g.segment, width: graphemeWidth(g.segment) }));
  let head = '';
  let headWidth = 0;
  for (const c of clusters) {
    if (headWidth + c.width > Math.ceil((width - 1) / 2)) break;
    head += c.text;
    headWidth += c.width;
  }
  let tail = '';
  let tailWidth = 0;
  for (let i = clusters.length - 1; i >= 0 && tailWidth + clusters[i]!.width <= width - 1 - headWidth; i--) {
    tail = clusters[i]!.text + tail;
    tailWidth += clusters[i]!.width;
  }
  return `${head}…${tail}`;
}

/** Pads (or cuts) `s` to exactly `width` columns. */
export function padWidth(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fitted = fitWidth(s, width);
  const gap = ' '.repeat(Math.max(0, width - displayWidth(fitted)));
  return align === 'left' ? fitted + gap : gap + fitted;
}

/** Splits `s` into lines of at most `width` columns (hard wrap; breaks at spaces when it can). */
export function wrapWidth(s: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let rest = s;
  while (rest.length > 0 && lines.length < maxLines) {
    if (displayWidth(rest) <= width) {
      lines.push(rest);
      rest = '';
      break;
    }
    let cut = '';
    let w = 0;
    for (const { segment } of graphemes(rest)) {
      const gw = graphemeWidth(segment);
      if (w + gw > width) break;
      cut += segment;
      w += gw;
    }
    const space = cut.lastIndexOf(' ');
    if (space > width / 2) cut = cut.slice(0, space + 1);
    if (cut.length === 0) cut = graphemes(rest)[Symbol.iterator]().next().value?.segment ?? '';
    lines.push(cut.trimEnd());
    rest = rest.slice(cut.length).trimStart();
  }
  if (rest.length > 0 && lines.length > 0) {
    const last = lines.length - 1;
    lines[last] = fitWidth(`${lines[last] ?? ''}…`, width);
  }
  return lines;
}

export interface Column {
  header: string;
  align?: 'left' | 'right';
  /** Left out, before any text is cut, when the table cannot otherwise fit its width. */
  optional?: boolean;
  /** An optional column worth more than letters of a name: left out only once text is cut as far as it goes (but before `last` cuts). */
  outlastsText?: boolean;
  /** Among optional columns, the lower is left out first (default 0); on a tie, the rightmost. */
  dropOrder?: number;
  /** How this column's cells are cut to fit; by default the end is cut, with …, down to a few letters. */
  cut?: CellCut;
}

/** A column's own way of cutting its cells, for cells whose end says the most (a version, a threshold). */
export interface CellCut {
  /** `text` in at most `width` columns. */
  fit(text: string, width: number): string;
  /** The fewest columns `text` may be cut to (its whole width: never cut). */
  min(text: string): number;
  /** Cut only once no other text column can give up a column. */
  last?: boolean;
}

/** A cell's text plus an optional painter (e.g. a chalk colour) applied after padding. */
export type Cell = string | { text: string; paint?: (s: string) => string };

/** The narrowest a text column is cut to (a few letters and …), unless its header is wider. */
const MIN_TEXT_COLUMN = 6;

/** Text that is never cut: the words of a verdict. */
export const WHOLE: CellCut = { fit: (text) => text, min: (text) => displayWidth(text) };

/**
 * Which columns to show and how wide, to fit `maxWidth` terminal columns, giving up the least
 * first: optional columns (by `dropOrder`, rightmost first), since a missing column is plain to
 * see and a cut name or threshold is not; then letters of text (the widest left-aligned column
 * loses a column at a time down to its floor: `floors`, else its header or MIN_TEXT_COLUMN); then
 * the optional columns that outlast text; then the columns cut `last`. Numbers are never cut.
 */
export function fitColumns(columns: Column[], natural: number[], maxWidth: number | undefined, floors: number[] = []): Array<{ index: number; width: number }> {
  let shown = columns.map((_, index) => index);
  if (maxWidth === undefined) return shown.map((index) => ({ index, width: natural[index]! }));
  const rank = (i: number) => columns[i]!.dropOrder ?? 0;
  const nextDrop = (outlasting: boolean): number | undefined =>
    shown.filter((i) => columns[i]!.optional && Boolean(columns[i]!.outlastsText) === outlasting).reduce<number | undefined>((a, b) => (a === undefined || rank(b) < rank(a) || (rank(b) === rank(a) && b > a) ? b : a), undefined);
  const fit = (cutLast: boolean) => {
    const widths = shown.map((i) => natural[i]!);
    const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
    const floor = (k: number) => Math.min(natural[shown[k]!]!, floors[shown[k]!] ?? Math.max(MIN_TEXT_COLUMN, displayWidth(columns[shown[k]!]!.header)));
    const widest = (last: boolean): number => {
      let w = -1;
      for (let k = 0; k < widths.length; k++) {
        const col = columns[shown[k]!]!;
        if (col.align === 'right' || Boolean(col.cut?.last) !== last || widths[k]! <= floor(k)) continue;
        if (w < 0 || widths[k]! > widths[w]!) w = k;
      }
      return w;
    };
    for (const last of cutLast ? [false, true] : [false]) {
      for (let k = widest(last); total() > maxWidth && k >= 0; k = widest(last)) widths[k]! -= 1;
    }
    return { widths, fits: total() <= maxWidth };
  };
  const natWidth = () => shown.reduce((a, i) => a + natural[i]!, 0) + 2 * (shown.length - 1);
  for (let drop = nextDrop(false); natWidth() > maxWidth && drop !== undefined; drop = nextDrop(false)) shown = shown.filter((i) => i !== drop);
  let fitted = fit(false);
  for (let drop = nextDrop(true); !fitted.fits && drop !== undefined; drop = nextDrop(true)) {
    shown = shown.filter((i) => i !== drop);
    fitted = fit(false);
  }
  if (!fitted.fits) fitted = fit(true);
  return shown.map((index, k) => ({ index, width: fitted.widths[k]! }));
}

/**
 * A table too wide for `maxWidth` even cut as far as it goes (a 40-column terminal): one record per
 * row, its first cell as a title and every other cell on a line of its own under its header, so no
 * column is left out and no line wraps.
 */
function formatRecords(columns: Column[], rows: Cell[][], paintHeader: (s: string) => string, maxWidth: number): string {
  const text = (c: Cell | undefined): string => (c === undefined ? '' : typeof c === 'string' ? c : c.text);
  const headerWidth = Math.max(...columns.slice(1).map((c) => displayWidth(c.header)));
  const room = Math.max(1, maxWidth - headerWidth - 4);
  const field = (col: Column, cell: Cell | undefined, width: number): string => {
    const raw = text(cell);
    const shown = col.cut && displayWidth(raw) > width ? col.cut.fit(raw, width) : fitWidth(raw, width);
    return typeof cell === 'object' && cell.paint ? cell.paint(shown) : shown;
  };
  return rows
    .map((r) => [field(columns[0]!, r[0], maxWidth), ...columns.slice(1).map((col, i) => `  ${paintHeader(padWidth(col.header, headerWidth))}  ${field(col, r[i + 1], room)}`.trimEnd())].join('\n'))
    .join('\n');
}

/**
 * Aligned columns separated by two spaces; `paintHeader` styles the header row. With `maxWidth`
 * (the terminal's width), text cells are cut with … and optional columns left out, so no line wraps;
 * a table that still does not fit is written as records (formatRecords).
 */
export function formatTable(allColumns: Column[], allRows: Cell[][], paintHeader: (s: string) => string = (s) => s, opts: { maxWidth?: number } = {}): string {
  const text = (c: Cell | undefined): string => (c === undefined ? '' : typeof c === 'string' ? c : c.text);
  const natural = allColumns.map((col, i) => Math.max(displayWidth(col.header), ...allRows.map((r) => displayWidth(text(r[i])))));
  const floors = allColumns.map((col, i) => (col.cut ? Math.max(displayWidth(col.header), ...allRows.map((r) => col.cut!.min(text(r[i])))) : undefined));
  const fitted = fitColumns(allColumns, natural, opts.maxWidth, floors as number[]);
  const fittedWidth = fitted.reduce((a, f) => a + f.width, 0) + 2 * (fitted.length - 1);
  if (opts.maxWidth !== undefined && fittedWidth > opts.maxWidth) return formatRecords(allColumns, allRows, paintHeader, opts.maxWidth);
  const columns = fitted.map((f) => allColumns[f.index]!);
  const rows = allRows.map((r) => fitted.map((f) => r[f.index]!));
  const cutTo = (col: Column, s: string, width: number): string => (col.cut && displayWidth(s) > width ? col.cut.fit(s, width) : s);
  // A column that cut its own cells may need less than it was given (`94.0%` where `94.0% (need 95.0%)` did not fit).
  const widths = fitted.map((f, i) => (columns[i]!.cut ? Math.max(displayWidth(columns[i]!.header), ...rows.map((r) => displayWidth(cutTo(columns[i]!, text(r[i]), f.width)))) : f.width));
  const line = (cells: Cell[], header: boolean): string =>
    columns
      .map((col, i) => {
        const cell = cells[i];
        const shown = header ? text(cell) : cutTo(col, text(cell), widths[i] ?? 0);
        // The last left-aligned column is not padded, so lines carry no trailing blanks.
        const last = i === columns.length - 1 && col.align !== 'right';
        const padded = last ? fitWidth(shown, widths[i] ?? 0) : padWidth(shown, widths[i] ?? 0, col.align);
        if (header) return paintHeader(padded);
        return typeof cell === 'object' && cell.paint ? cell.paint(padded) : padded;
      })
      .join('  ')
      // Empty trailing cells would leave blanks at the end of the line.
      .replace(/ +$/, '');
  return [line(columns.map((c) => c.header), true), ...rows.map((r) => line(r, false))].join('\n');
}
