import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { runCli } from '../../src/cli.js';
import { reportOutcome } from '../../src/cli-outcome.js';
import { REPO_ROOT } from '../support/cli.js';
import { it } from '../support/fixtures.js';

/**
 * Report #9 of the terminal hunt: FORCE_COLOR=0 left colour in eval's final table at a terminal, and
 * FORCE_COLOR=1 did nothing in a pipe. Colour is decided once (render/terminal.ts) for every renderer.
 */

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const ESC = '\u001b[';

async function evalAt(cwd: string, env: Record<string, string>, tty: boolean): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const w = { stdout: (t: string) => void (stdout += t), stderr: () => {} };
  // CI keeps the live view off (this process's stdout is not the terminal); colour is still the terminal's.
  const outcome = await runCli({ argv: ['eval', 'support-answer@1.1.0', '--suite', 'golden'], cwd, env: { CI: '1', ...env }, ...w, stdoutIsTTY: tty, stdoutColumns: tty ? 100 : undefined, stdoutRows: tty ? 30 : undefined, version: VERSION });
  return { code: await reportOutcome(outcome, w), stdout };
}

describe('FORCE_COLOR', () => {
  it('0 at a terminal: no colour in the final table; 1 in a pipe: colour', async ({ sharedSimProject }) => {
    const plain = await evalAt(sharedSimProject, { FORCE_COLOR: '0' }, true);
    expect(plain.code, plain.stdout).toBe(0);
    expect(plain.stdout).toContain('All 1 suite runs passed.');
    expect(plain.stdout).not.toContain(ESC);
    const forced = await evalAt(sharedSimProject, { FORCE_COLOR: '1' }, false);
    expect(forced.stdout).toContain(`${ESC}32mAll 1 suite runs passed.`);
    const terminal = await evalAt(sharedSimProject, {}, true);
    expect(terminal.stdout).toContain(ESC);
  });
});
