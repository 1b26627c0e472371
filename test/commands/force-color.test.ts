import { describe, expect } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';

/**
 * Report #9 of the terminal hunt: FORCE_COLOR=0 left colour in eval's final table at a terminal, and
 * FORCE_COLOR=1 did nothing in a pipe. Colour is decided once (render/terminal.ts) for every renderer.
 */

const ESC = '\u001b[';

// CI keeps the live view off (this process's stdout is not the terminal); colour is still the terminal's.
const evalAt = (cwd: string, env: Record<string, string>, tty: boolean) =>
  runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden'], { cwd, env: { NO_COLOR: undefined, ...env }, ...(tty ? { terminal: { columns: 100, rows: 30 } } : {}) });

describe('FORCE_COLOR', () => {
  it('0 at a terminal: no colour in the final table; 1 in a pipe: colour', async ({ sharedSimProject }) => {
    const plain = await evalAt(sharedSimProject, { FORCE_COLOR: '0' }, true);
    expect(plain.code, plain.output).toBe(0);
    expect(plain.stdout).toContain('1 suite run passed.');
    expect(plain.stdout).not.toContain(ESC);
    const forced = await evalAt(sharedSimProject, { FORCE_COLOR: '1' }, false);
    expect(forced.stdout).toContain(`${ESC}32m1 suite run passed.`);
    const terminal = await evalAt(sharedSimProject, {}, true);
    expect(terminal.stdout).toContain(ESC);
  });
});
