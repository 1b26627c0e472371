import { describe, expect } from 'vitest';
import { runCliInProcess } from '../support/cli.js';
import { it } from '../support/fixtures.js';

/** Report #5 of the terminal hunt: at an 80-column terminal (COLUMNS not exported, as bash does) compare fitted 120 columns. */

describe('compare at a terminal', () => {
  it("fits the terminal's width", async ({ simProject }) => {
    // CI (set by runCliInProcess) keeps the live view off (this process's stdout is not the terminal); the width is still the terminal's.
    const { code, stdout, stderr } = await runCliInProcess(['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--suite', 'golden'], { cwd: simProject, terminal: { columns: 80, rows: 24 } });
    expect(code, stderr).toBe(0);
    expect(stdout).toContain('│');
    // The side-by-side columns (the sentences above them are prose, which the terminal wraps).
    const view = stdout.split('\n').filter((l) => l.includes('│'));
    const widest = Math.max(...view.map((l) => Array.from(l).length));
    expect(widest, stdout).toBeLessThanOrEqual(80);
  });
});
