import { runsInCi } from '../core/ci-env.js';

/**
 * The one rule for what stdout gets: colour, the live view (cursor moves that redraw in place) and
 * a width that tables fit. The process entry reads the facts; nothing else looks at the terminal.
 */

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

export function terminalChoice(f: TerminalFacts): TerminalChoice {
  // A pty without a size: ink would lay out at 0 columns (a character per line, the screen wiped at
  // every frame), and a table cannot fit 0 columns.
  const sized = f.isTTY && (f.columns ?? 0) > 0 && (f.rows ?? 0) > 0;
  return {
    color: f.colorFlag && f.isTTY && !f.env.NO_COLOR,
    live: sized && !runsInCi(f.env),
    width: f.isTTY && (f.columns ?? 0) > 0 ? f.columns : undefined,
  };
}
