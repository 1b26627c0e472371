import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { runCli } from '../../src/cli.js';
import { reportOutcome } from '../../src/cli-outcome.js';
import { REPO_ROOT } from '../support/cli.js';
import { it } from '../support/fixtures.js';

/** Report #2 of the terminal hunt: on a pty without a size (0×0), eval prints plain progress lines, not the live view. */

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

describe('eval on a pty of 0×0', () => {
  it('prints plain progress lines on stderr', async ({ simProject }) => {
    let stdout = '';
    let stderr = '';
    const w = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) };
    const outcome = await runCli({ argv: ['eval', 'support-answer@1.1.0', '--suite', 'golden'], cwd: simProject, env: { NO_COLOR: '1' }, ...w, stdoutIsTTY: true, stdoutColumns: 0, stdoutRows: 0, stdinIsTTY: true, version: VERSION });
    const code = await reportOutcome(outcome, w);
    expect(code, stdout + stderr).toBe(0);
    expect(stderr).toMatch(/^done \d+\/\d+ pass/m);
    expect(stdout).toContain('All 1 suite runs passed.');
  });
});
