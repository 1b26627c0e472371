import { describe, expect, it } from 'vitest';
import { terminalChoice, type TerminalFacts } from '../../src/render/terminal.js';

/** The one rule for colour, the live view and the width (src/render/terminal.ts), from the facts the entry reads. */

const tty: TerminalFacts = { isTTY: true, columns: 80, rows: 24, env: {}, colorFlag: true };
const pipe: TerminalFacts = { isTTY: false, env: {}, colorFlag: true };

describe('terminalChoice', () => {
  it.each([
    { name: 'a sized terminal', facts: tty, want: { color: true, live: true, width: 80 } },
    { name: 'a pipe', facts: { ...tty, isTTY: false, columns: undefined, rows: undefined }, want: { color: false, live: false, width: undefined } },
    // Report #2: `script`, `ssh -tt`, `docker exec -t` started without a terminal give a pty of 0×0.
    { name: 'a pty of 0×0', facts: { ...tty, columns: 0, rows: 0 }, want: { color: true, live: false, width: undefined } },
    { name: 'a pty with columns, no rows', facts: { ...tty, rows: 0 }, want: { color: true, live: false, width: 80 } },
    { name: 'a pty with rows, no columns', facts: { ...tty, columns: 0 }, want: { color: true, live: false, width: undefined } },
    // Report h43 #3: at 2 rows the bar and counts are the whole terminal, and ink cleared the screen and scrollback every frame.
    { name: 'a 2-row terminal', facts: { ...tty, rows: 2 }, want: { color: true, live: false, width: 80 } },
    { name: 'a 1-row terminal', facts: { ...tty, rows: 1 }, want: { color: true, live: false, width: 80 } },
    { name: 'a 3-row terminal', facts: { ...tty, rows: 3 }, want: { color: true, live: true, width: 80 } },
    { name: 'a size unknown', facts: { ...tty, columns: undefined, rows: undefined }, want: { color: true, live: false, width: undefined } },
    { name: 'CI', facts: { ...tty, env: { CI: 'true' } }, want: { color: true, live: false, width: 80 } },
    // Jenkins and Azure Pipelines set no CI: their own variables say it is a job.
    { name: 'Jenkins (JENKINS_URL)', facts: { ...tty, env: { JENKINS_URL: 'http://jenkins/' } }, want: { color: true, live: false, width: 80 } },
    { name: 'Azure Pipelines (TF_BUILD)', facts: { ...tty, env: { TF_BUILD: 'True' } }, want: { color: true, live: false, width: 80 } },
    // Report #9: TERM=dumb (Emacs' shell) moves no cursor and shows no colour.
    { name: 'TERM=dumb', facts: { ...tty, env: { TERM: 'dumb' } }, want: { color: false, live: false, width: 80 } },
    { name: 'TERM=dumb, FORCE_COLOR=1', facts: { ...tty, env: { TERM: 'dumb', FORCE_COLOR: '1' } }, want: { color: true, live: false, width: 80 } },
    { name: 'TERM=xterm-256color', facts: { ...tty, env: { TERM: 'xterm-256color' } }, want: { color: true, live: true, width: 80 } },
    { name: 'FORCE_COLOR=0 at a terminal', facts: { ...tty, env: { FORCE_COLOR: '0' } }, want: { color: false, live: true, width: 80 } },
    { name: 'FORCE_COLOR=false at a terminal', facts: { ...tty, env: { FORCE_COLOR: 'false' } }, want: { color: false, live: true, width: 80 } },
    { name: 'FORCE_COLOR=1 in a pipe', facts: { ...pipe, env: { FORCE_COLOR: '1' } }, want: { color: true, live: false, width: undefined } },
    { name: 'FORCE_COLOR=3 in a pipe', facts: { ...pipe, env: { FORCE_COLOR: '3' } }, want: { color: true, live: false, width: undefined } },
    { name: 'FORCE_COLOR= (empty) in a pipe', facts: { ...pipe, env: { FORCE_COLOR: '' } }, want: { color: true, live: false, width: undefined } },
    { name: 'FORCE_COLOR=true in a pipe', facts: { ...pipe, env: { FORCE_COLOR: 'true' } }, want: { color: true, live: false, width: undefined } },
    { name: 'FORCE_COLOR=0 in a pipe', facts: { ...pipe, env: { FORCE_COLOR: '0' } }, want: { color: false, live: false, width: undefined } },
    // NO_COLOR and --no-color keep priority over FORCE_COLOR.
    { name: 'NO_COLOR=1', facts: { ...tty, env: { NO_COLOR: '1' } }, want: { color: false, live: true, width: 80 } },
    { name: 'NO_COLOR= (empty) is unset', facts: { ...tty, env: { NO_COLOR: '' } }, want: { color: true, live: true, width: 80 } },
    { name: 'NO_COLOR=1, FORCE_COLOR=1', facts: { ...tty, env: { NO_COLOR: '1', FORCE_COLOR: '1' } }, want: { color: false, live: true, width: 80 } },
    { name: '--no-color, FORCE_COLOR=1', facts: { ...tty, colorFlag: false, env: { FORCE_COLOR: '1' } }, want: { color: false, live: true, width: 80 } },
    { name: '--no-color in a pipe, FORCE_COLOR=1', facts: { ...pipe, colorFlag: false, env: { FORCE_COLOR: '1' } }, want: { color: false, live: false, width: undefined } },
  ])('$name', ({ facts, want }) => {
    expect(terminalChoice(facts)).toEqual(want);
  });
});
