import { describe, expect, it } from 'vitest';
import { terminalChoice, type TerminalFacts } from '../../src/render/terminal.js';

/** The one rule for colour, the live view and the width (src/render/terminal.ts), from the facts the entry reads. */

const tty: TerminalFacts = { isTTY: true, columns: 80, rows: 24, env: {}, colorFlag: true };

describe('terminalChoice', () => {
  it.each([
    { name: 'a sized terminal', facts: tty, want: { color: true, live: true, width: 80 } },
    { name: 'a pipe', facts: { ...tty, isTTY: false, columns: undefined, rows: undefined }, want: { color: false, live: false, width: undefined } },
    // Report #2: `script`, `ssh -tt`, `docker exec -t` started without a terminal give a pty of 0×0.
    { name: 'a pty of 0×0', facts: { ...tty, columns: 0, rows: 0 }, want: { color: true, live: false, width: undefined } },
    { name: 'a pty with columns, no rows', facts: { ...tty, rows: 0 }, want: { color: true, live: false, width: 80 } },
    { name: 'a pty with rows, no columns', facts: { ...tty, columns: 0 }, want: { color: true, live: false, width: undefined } },
    { name: 'a size unknown', facts: { ...tty, columns: undefined, rows: undefined }, want: { color: true, live: false, width: undefined } },
    { name: 'CI', facts: { ...tty, env: { CI: 'true' } }, want: { color: true, live: false, width: 80 } },
  ])('$name', ({ facts, want }) => {
    expect(terminalChoice(facts)).toEqual(want);
  });
});
