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
