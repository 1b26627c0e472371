import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { runCli } from '../../src/cli.js';
import { reportOutcome } from '../../src/cli-outcome.js';
import { REPO_ROOT } from '../support/cli.js';
import { it } from '../support/fixtures.js';

/** Report #5 of the terminal hunt: at an 80-column terminal (COLUMNS not exported, as bash does) compare fitted 120 columns. */

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('compare at a terminal', () => {
  it("fits the terminal's width", async ({ simProject }) => {
    let stdout = '';
    let stderr = '';
    const w = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) };
    // CI keeps the live view off (this process's stdout is not the terminal); the width is still the terminal's.
    const outcome = await runCli({ argv: ['compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--suite', 'golden'], cwd: simProject, env: { NO_COLOR: '1', CI: '1' }, ...w, stdoutIsTTY: true, stdoutColumns: 80, stdoutRows: 24, stdinIsTTY: false, version: VERSION });
    expect(await reportOutcome(outcome, w), stderr).toBe(0);
    expect(stdout).toContain('│');
    // The side-by-side columns (the sentences above them are prose, which the terminal wraps).
    const view = stdout.split('\n').filter((l) => l.includes('│'));
    const widest = Math.max(...view.map((l) => Array.from(l).length));
    expect(widest, stdout).toBeLessThanOrEqual(80);
  });
});
