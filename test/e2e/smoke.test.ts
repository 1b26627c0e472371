import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect } from 'vitest';
import { parseJsonOutput, runCliAsync, type RunResult } from '../support/cli.js';
import { it } from '../support/fixtures.js';
import { makeTempDir, readProjectFile, relaxLatencyGate } from '../support/project.js';

/**
 * The built binary, spawned as a user runs it, once per command family. Command behaviour is
 * tested in-process (test/support/cli.ts runCliInProcess); this checks what only a real process
 * shows: the bundle loads each command's chunk, the exit code reaches the shell, and stdout and
 * stderr are separate streams.
 */

const ACTOR = ['--actor', 'release@example.com'];

async function expectExit(cwd: string, code: number, ...args: string[]): Promise<RunResult> {
  const r = await runCliAsync(args, { cwd, env: { PROMPTCTL_ACTOR: undefined, GITHUB_ACTOR: undefined } });
  expect(r.code, `promptctl ${args.join(' ')}\n${r.output}`).toBe(code);
  expect(r.signal).toBeNull();
  expect(r.stderr).not.toContain('hit a bug');
  return r;
}

describe('the spawned binary', () => {
  it('--version prints the package version and --help lists the commands, exit 0', async ({ project }) => {
    const { version } = JSON.parse(readProjectFile(process.cwd(), 'package.json')) as { version: string };
    expect((await expectExit(project, 0, '--version')).stdout.trim()).toBe(version);
    const help = await expectExit(project, 0, '--help');
    for (const command of ['init', 'lint', 'eval', 'ci', 'redteam', 'deploy', 'rollback', 'audit', 'report']) expect(help.stdout).toContain(command);
  });

  it('a usage mistake exits 2 with the message on stderr only', async ({ project }) => {
    const r = await expectExit(project, 2, 'bogus');
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("unknown command 'bogus'");
  });

  it('a typed error exits 2: the message on stderr, and in --json mode the error as JSON on stdout', async ({ project }) => {
    const plain = await expectExit(project, 2, 'show', 'nope');
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toMatch(/^error: /);
    const json = await expectExit(project, 2, 'show', 'nope', '--json');
    expect(parseJsonOutput(json)).toMatchObject({ exitCode: 2 });
    expect(json.stderr).toMatch(/^error: /);
  });

  it('authoring: init, lint, list, show, render, new, diff', async () => {
    const dir = makeTempDir();
    await expectExit(dir, 0, 'init');
    await expectExit(dir, 0, 'lint');
    expect(parseJsonOutput(await expectExit(dir, 0, 'list', '--json'))).toBeTruthy();
    expect((await expectExit(dir, 0, 'show', 'support-answer')).stdout).toContain('support-answer');
    expect((await expectExit(dir, 0, 'render', 'support-answer@1.1.0', '--var', 'question=Hours?')).stdout).toContain('Hours?');
    await expectExit(dir, 0, 'new', 'support-answer', '--minor', '--description', 'Smoke.');
    expect((await expectExit(dir, 0, 'diff', 'support-answer', '1.1.0', '1.2.0')).stdout).toContain('Smoke.');
    await expectExit(dir, 0, 'redteam', 'generate', 'support-answer', '--json');
  });

  it('a release against the simulator: eval, compare, report, deploy, promote, status, history, get, export, rollback, audit', { timeout: 300_000 }, async ({ simProject: dir }) => {
    relaxLatencyGate(dir); // 1.1.0 replaces 1.0.0 in staging: its p95 gate would read machine load
    await expectExit(dir, 0, 'eval', 'support-answer@1.0.0', 'support-answer@1.1.0');
    await expectExit(dir, 0, 'compare', 'support-answer@1.0.0', 'support-answer@1.1.0', '--json');
    await expectExit(dir, 0, 'report', '-o', 'report.html');
    expect(existsSync(path.join(dir, 'report.html'))).toBe(true);
    await expectExit(dir, 0, 'deploy', 'support-answer@1.0.0', '--env', 'staging', ...ACTOR);
    await expectExit(dir, 0, 'deploy', 'support-answer@1.1.0', '--env', 'staging', ...ACTOR);
    await expectExit(dir, 0, 'promote', 'support-answer', '--from', 'staging', '--to', 'production', '--reason', 'smoke', ...ACTOR);
    expect((await expectExit(dir, 0, 'status')).stdout).toContain('1.1.0');
    expect((await expectExit(dir, 0, 'history')).stdout).toContain('release@example.com');
    expect(parseJsonOutput(await expectExit(dir, 0, 'get', 'support-answer', '--env', 'production', '--json'))).toMatchObject({ version: '1.1.0' });
    expect(parseJsonOutput(await expectExit(dir, 0, 'export', '--env', 'production'))).toBeTruthy();
    await expectExit(dir, 0, 'rollback', 'support-answer', '--env', 'staging', ...ACTOR);
    await expectExit(dir, 0, 'audit', 'verify');
  });

  it('ci on a branch with no prompt changes', async ({ simProject: dir }) => {
    const git = (...args: string[]) => execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'core.hooksPath=/dev/null', '-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', ...args], { cwd: dir, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '-A');
    git('commit', '-q', '-m', 'base');
    git('checkout', '-q', '-b', 'feature');
    // A commit of the branch's own: a branch still at main's commit has no change to gate (exit 2).
    writeFileSync(path.join(dir, 'NOTES.md'), 'notes\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'notes');
    await expectExit(dir, 0, 'ci', '--base', 'main');
  });
});
