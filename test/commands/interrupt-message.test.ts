import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { runCli } from '../../src/cli.js';
import { reportOutcome } from '../../src/cli-outcome.js';
import { REPO_ROOT } from '../support/cli.js';
import { it } from '../support/fixtures.js';

/**
 * Issue 14 §5: Ctrl-C prints one message. The stopped eval's table used to close with
 * "Aborted: interrupted: …" on stdout while the error said "interrupted: … kept" on stderr.
 * Now the table keeps its rows and the one message is the error (why and hint included).
 */

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

async function stoppedEval(cwd: string, extra: string[] = []): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const interrupt = new AbortController();
  // Ctrl-C as the eval announces its start, before the first answer: the run stops dispatching at once.
  // (A signal aborted before the command starts stops it before anything is written: use-case-options.test.ts.)
  const w = {
    stdout: (t: string) => void (stdout += t),
    stderr: (t: string) => {
      stderr += t;
      if (!interrupt.signal.aborted) interrupt.abort('SIGINT');
    },
  };
  const outcome = await runCli({ argv: ['eval', 'support-answer@1.1.0', '--suite', 'golden', ...extra], cwd, env: { NO_COLOR: '1', CI: '1' }, ...w, stdoutIsTTY: false, stdinIsTTY: false, version: VERSION, signal: interrupt.signal });
  return { code: await reportOutcome(outcome, w), stdout, stderr };
}

describe('Ctrl-C during eval', () => {
  it('says it was interrupted once, on stderr, after the table; exit 130', async ({ simProject }) => {
    const r = await stoppedEval(simProject);
    expect(r.code, r.stdout + r.stderr).toBe(130);
    expect(r.stdout).toContain('support-answer@1.1.0'); // the table of what ran is still printed
    expect(r.stdout).not.toMatch(/Aborted|interrupted/);
    expect(r.stderr.match(/interrupted/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: interrupted: 0 results kept; run the same command with --resume$/m);
    expect(r.stderr).toMatch(/^why: Ctrl-C stopped dispatching/m);
    expect(r.stderr).toMatch(/^hint: run the same command with --resume/m);
  });

  it('--json still carries the stop in the report and prints the error once', async ({ simProject }) => {
    const r = await stoppedEval(simProject, ['--json']);
    expect(r.code).toBe(130);
    const data = JSON.parse(r.stdout) as { error: { exitCode: number; message: string } };
    expect(data.error.exitCode).toBe(130);
    expect(r.stderr.match(/^error: /gm)).toHaveLength(1);
  });
});
