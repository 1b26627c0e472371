import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT } from '../support/cli.js';
import { cleanupTempDirs, makeProject, writeProjectFile } from '../support/project.js';
import { UNGATED_CONFIG } from '../support/ungated-config.js';

/**
 * Report #4 of the terminal hunt: a stop signal at production's `Go ahead? [y/N]` closes the question,
 * gives the terminal back its echo and exits with the signal's code (SIGTERM 143), also when stderr
 * is redirected (Ctrl-C then reaches the process as a signal, not as a key readline reads). Before,
 * the question kept waiting with the terminal's echo off. Only a terminal shows it: a pty (python3).
 */

const CONFIG = UNGATED_CONFIG;

afterAll(() => cleanupTempDirs());

const PTY_RUN = path.join(REPO_ROOT, 'test', 'support', 'pty-run.py');

function atPty(cwd: string, action: string, command: string[], watch?: string): { exit: number | null; echo: boolean | null; acted: boolean; output: string } {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', PROMPTCTL_ACTOR: 'me@example.com', PTY_RUN_WATCH: watch };
  for (const k of ['CI', 'FORCE_COLOR', 'PROMPTCTL_REGISTRY_URL', 'GITHUB_ACTIONS']) delete env[k];
  const r = spawnSync('python3', [PTY_RUN, 'Go ahead?', action, '--', ...command], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { exit: number | null; echo: boolean | null; acted: boolean; output: string };
}

describe('a signal at the production confirmation', () => {
  it('SIGTERM closes the question, restores echo, changes nothing, exit 143', () => {
    const dir = makeProject();
    writeProjectFile(dir, '.promptrc.yaml', CONFIG);
    const r = atPty(dir, 'SIGTERM', [process.execPath, CLI_PATH, 'deploy', 'support-answer@1.0.0', '--env', 'production']);
    expect(r.acted, r.output).toBe(true);
    expect(r.exit, r.output).toBe(143);
    expect(r.echo).toBe(true);
    expect(r.output).toContain('not done, interrupted at the confirmation');
  });

  it('Ctrl-C with stderr redirected to a file closes the question, exit 130', () => {
    const dir = makeProject();
    writeProjectFile(dir, '.promptrc.yaml', CONFIG);
    const log = path.join(dir, 'deploy.log');
    const r = atPty(dir, '\\x03', ['sh', '-c', `exec "${process.execPath}" "${CLI_PATH}" deploy support-answer@1.0.0 --env production 2>deploy.log`], log);
    expect(r.acted, r.output).toBe(true);
    expect(r.exit, r.output).toBe(130);
    expect(r.echo).toBe(true);
  });
});

describe('the production confirmation with stderr redirected to a file', () => {
  // Report h43 #2: the question went to stderr, the file, and the command waited for an answer to a
  // question the terminal never showed. It is asked on the terminal now, after the dry run it confirms.
  it('asks on the terminal, after its dry run; "n" changes nothing, exit 1; the file keeps the dry run', () => {
    const dir = makeProject();
    writeProjectFile(dir, '.promptrc.yaml', CONFIG);
    const r = atPty(dir, 'n\\r', ['sh', '-c', `exec "${process.execPath}" "${CLI_PATH}" deploy support-answer@1.0.0 --env production --reason x 2>deploy.log`]);
    expect(r.acted, r.output).toBe(true);
    expect(r.output).toContain('dry run: support-answer@1.0.0 to production would be deployed');
    expect(r.output.indexOf('dry run:')).toBeLessThan(r.output.indexOf('Go ahead? [y/N]'));
    expect(r.exit, r.output).toBe(1);
    expect(r.echo).toBe(true);
    const log = readFileSync(path.join(dir, 'deploy.log'), 'utf8');
    expect(log).toContain('dry run: support-answer@1.0.0 to production would be deployed');
    expect(log).not.toContain('Go ahead?');
    expect(log).toContain('not done, not confirmed');
  });
});

describe('the terminal closing at the production confirmation', () => {
  // The window or the SSH session goes away: SIGHUP, then every write to the terminal fails with EIO,
  // its input ends and setting its mode fails (which of these promptctl meets first varies). Before,
  // the EIO was taken for a full disk under a redirected stdout ("the disk that stdout is redirected
  // to refused the bytes", "free space on that disk"), or the failed mode was "promptctl hit a bug";
  // and then Node aborted, failing to restore the terminal's settings at exit.
  it('with stderr redirected to a file: no disk is blamed, no bug reported, and it exits 129 as for SIGHUP', () => {
    const dir = makeProject();
    writeProjectFile(dir, '.promptrc.yaml', CONFIG);
    const r = atPty(dir, 'HANGUP', ['sh', '-c', `exec "${process.execPath}" "${CLI_PATH}" deploy support-answer@1.0.0 --env production --reason x 2>deploy.log`]);
    expect(r.acted, r.output).toBe(true);
    const log = readFileSync(path.join(dir, 'deploy.log'), 'utf8');
    // 129 as for SIGHUP, not exit 3, 70, nor Node's abort at exit restoring the terminal (-6).
    expect(r.exit, log).toBe(129);
    expect(log).toMatch(/^error: cannot use the terminal: .*EIO$|not done, interrupted at the confirmation/m);
    expect(log).not.toMatch(/disk|free space|hit a bug|Native stack trace/);
  });
});
