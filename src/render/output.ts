/** Where a command's result and messages go: the terminal, a test's buffer, or nothing. */
export interface Output {
  /** Print machine-readable JSON instead of text. */
  json: boolean;
  color: boolean;
  /** stdout is a terminal with a size, outside CI: the live view may redraw in place (`render/terminal.ts` decides). */
  tty: boolean;
  /** The terminal's width in columns, when stdout is one; tables fit it. */
  width?: number;
  line(text: string): void;
  /** Text to stdout as it is, no newline added: a file printed to standard output (`report -o -`). */
  write(text: string): void;
  error(text: string): void;
}
