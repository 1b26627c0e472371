import { runsInCi } from '../core/ci-env.js';

/**
 * The one rule for what stdout gets: colour, the live view (cursor moves that redraw in place) and
 * a width that tables fit. The process entry reads the facts; nothing else looks at the terminal.
 */

/** The live view's two fixed lines (bar, counts) and the row the cursor waits on. */
const LIVE_MIN_ROWS = 3;

export interface TerminalFacts {
  /** stdout is a terminal (process.stdout.isTTY). */
  isTTY: boolean;
  /** Its size; 0 or undefined when the pty has none (`script` or `ssh -tt` started without a terminal). */
  columns?: number;
  rows?: number;
  env: Record<string, string | undefined>;
  /** False under `--no-color`. */
  colorFlag: boolean;
}

export interface TerminalChoice {
  color: boolean;
  /** The live view may redraw in place. */
  live: boolean;
  /** The terminal's columns, when it has a size. */
  width?: number;
}

/**
 * Colour: `--no-color` and NO_COLOR first (https://no-color.org: set and not empty); then FORCE_COLOR
 * as chalk reads it (`0`/`false` none, even at a terminal; `1`-`3`, `true` or empty, colour even in a
 * pipe or a log); else a terminal that is not TERM=dumb (Emacs' shell, a plain serial console).
 * The live view needs a terminal that moves its cursor (not dumb), with a size (3 rows at least), outside CI.
 */
export function terminalChoice(f: TerminalFacts): TerminalChoice {
  const dumb = f.env.TERM === 'dumb';
  // A pty without a size: ink would lay out at 0 columns (a character per line, the screen wiped at
  // every frame), and a table cannot fit 0 columns.
  const sized = f.isTTY && (f.columns ?? 0) > 0 && (f.rows ?? 0) > 0;
  // The view's frame keeps below the terminal's rows (live-layout.ts) and always has its bar and
  // counts: below 3 rows it cannot, and ink then clears the screen and the scrollback at every frame.
  const tall = (f.rows ?? 0) >= LIVE_MIN_ROWS;
  return {
    color: !f.colorFlag || f.env.NO_COLOR ? false : (forcedColor(f.env.FORCE_COLOR) ?? (f.isTTY && !dumb)),
    live: sized && tall && !dumb && !runsInCi(f.env),
    width: f.isTTY && (f.columns ?? 0) > 0 ? f.columns : undefined,
  };
}

/** FORCE_COLOR as chalk's supports-color reads it: unset, no opinion; empty, `true` or a level above 0, colour; else none. */
function forcedColor(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === '' || value === 'true') return true;
  const level = Number.parseInt(value, 10);
  return Number.isFinite(level) && level > 0;
}
