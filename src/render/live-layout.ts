import { liveFailureLines, type ProgressSnapshot } from './progress-model.js';
import { fitWidth } from './table.js';

/**
 * What the live view draws within the terminal's height. ink 6 treats a frame as tall as the
 * terminal as full-screen and then clears the screen AND the scrollback at every redraw (the
 * shell's earlier output is lost), so a frame keeps to `rows - 1` lines: the last row is where the
 * cursor waits. Every line the view draws is one terminal row (cut with …, never wrapped), so
 * counting lines is counting rows.
 *
 * What goes first when rows are short: the bar and the counts always stay; then the label; then
 * the newest failures (what a developer watches for), older ones and second lines first; the
 * notices take what is left.
 */

export interface LiveLayout {
  label: boolean;
  notices: string[];
  /** The failures shown, oldest first, each as the lines it takes (`FAIL ` or `ERROR` first). */
  failures: Array<{ kind: 'fail' | 'error'; lines: string[] }>;
}

/** The bar and the counts line. */
const FIXED_LINES = 2;
/** The blank line above `Latest failures` and that heading. */
const FAILURE_HEADING_LINES = 2;

/**
 * @param width the terminal's columns (failures are wrapped to it)
 * @param rows the terminal's rows; undefined (unknown) draws everything
 */
export function liveLayout(s: Pick<ProgressSnapshot, 'label' | 'notices' | 'recentFailures'>, width: number, rows: number | undefined): LiveLayout {
  let left = rows === undefined ? Infinity : rows - 1 - FIXED_LINES;
  const label = Boolean(s.label) && left >= 1;
  if (label) left -= 1;
  const failures: LiveLayout['failures'] = [];
  if (s.recentFailures.length > 0 && left > FAILURE_HEADING_LINES) {
    left -= FAILURE_HEADING_LINES;
    for (const f of [...s.recentFailures].reverse()) {
      if (left <= 0) break;
      const all = liveFailureLines(f, width);
      // A failure cut short says so with …, as a wrapped one that ran out of lines does.
      const lines = all.length <= left ? all : [...all.slice(0, left - 1), fitWidth(`${all[left - 1] ?? ''}…`, Math.max(20, width))];
      left -= lines.length;
      failures.unshift({ kind: f.kind, lines });
    }
  }
  const notices = left >= s.notices.length ? s.notices : left > 0 ? s.notices.slice(-left) : [];
  return { label, notices, failures };
}
