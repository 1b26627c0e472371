import { describe, expect } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';

/** Report #2 of the terminal hunt: on a pty without a size (0×0), eval prints plain progress lines, not the live view. */

describe('eval on a pty of 0×0', () => {
  it('prints plain progress lines on stderr', async ({ simProject }) => {
    // Not a CI job: the live view would be chosen if the terminal had a size.
    const { code, stdout, stderr } = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden'], { cwd: simProject, env: { CI: undefined }, terminal: { columns: 0, rows: 0, stdin: true } });
    expect(code, stdout + stderr).toBe(0);
    expect(stderr).toMatch(/^done \d+\/\d+ pass/m);
    expect(stdout).toContain('1 suite run passed.');
  });
});

describe('eval on a terminal 2 rows high', () => {
  // Report h43 #3: the live view's bar and counts fill it, and ink cleared the screen and the scrollback every frame.
  it('prints plain progress lines on stderr, with no cursor movement', async ({ simProject }) => {
    const { code, stdout, stderr } = await runCliInProcess(['eval', 'support-answer@1.1.0', '--suite', 'golden'], { cwd: simProject, env: { CI: undefined }, terminal: { columns: 100, rows: 2, stdin: true } });
    expect(code, stdout + stderr).toBe(0);
    expect(stderr).toMatch(/^done \d+\/\d+ pass/m);
    expect(stdout + stderr).not.toContain('\u001b[3J');
    expect(stdout).toContain('1 suite run passed.');
  });
});
