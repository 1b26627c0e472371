import { EventEmitter } from 'node:events';

/**
 * Just enough of a terminal to see what a live view leaves on screen: stdout and stderr write into
 * one screen, as at a real terminal. Knows text (wrapping at the width, scrolling into a history),
 * `\n` as a tty's output processing makes it (carriage return and line feed), `\r`, and the CSI
 * sequences ink sends: cursor up (A), to a column (G), erase the line (K); styles and modes are ignored.
 */
export class Screen {
  history: string[] = [];
  private lines: string[][] = [[]];
  private row = 0;
  private col = 0;
  constructor(readonly columns: number, readonly rows: number) {}

  /** A WriteStream enough for ink: a terminal of this size. */
  stream(): NodeJS.WriteStream {
    return Object.assign(new EventEmitter(), { columns: this.columns, rows: this.rows, isTTY: true, write: (s: string) => (this.write(String(s)), true) }) as unknown as NodeJS.WriteStream;
  }

  write(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (c === '\u001b' && s[i + 1] === '[') {
        const m = /^\u001b\[([?0-9;]*)([A-Za-z])/.exec(s.slice(i))!;
        i += m[0].length - 1;
        const n = Number(m[1]) || 1;
        if (m[2] === 'A') this.row = Math.max(0, this.row - n);
        else if (m[2] === 'G') this.col = n - 1;
        else if (m[2] === 'K') this.lines[this.row] = m[1] === '2' ? [] : this.line().slice(0, this.col);
      } else if (c === '\n') this.newline();
      else if (c === '\r') this.col = 0;
      else {
        if (this.col >= this.columns) this.newline();
        this.line()[this.col++] = c;
      }
    }
  }

  /** The screen's lines, trailing blanks dropped. */
  text(): string[] {
    const shown = this.lines.map((l) => Array.from(l, (c) => c ?? ' ').join('').trimEnd());
    while (shown.length && shown.at(-1) === '') shown.pop();
    return shown;
  }

  private line(): string[] {
    return (this.lines[this.row] ??= []);
  }

  private newline(): void {
    this.col = 0;
    this.row += 1;
    if (this.row >= this.rows) {
      this.history.push(Array.from(this.lines.shift() ?? [], (c) => c ?? ' ').join('').trimEnd());
      this.row = this.rows - 1;
    }
    this.line();
  }
}
