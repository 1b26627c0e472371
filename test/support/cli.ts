import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Helpers to run the built promptctl binary the way a user does: as a child process with its own
 * working folder. Build first (`npx tsc -p tsconfig.build.json`); the tests never build.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_PATH = path.join(REPO_ROOT, 'dist', 'bin', 'promptctl.js');
export const QUICKSTART = path.join(REPO_ROOT, 'examples', 'quickstart');

export interface RunOptions {
  /** Working folder of the child; defaults to the test process's cwd. */
  cwd?: string;
  /** Extra environment; a value of `undefined` removes the variable. NO_COLOR=1 and CI=1 are set by default. */
  env?: Record<string, string | undefined>;
  /** Text written to the child's stdin. */
  input?: string;
  /** Kill the child after this many milliseconds (default 30 s). */
  timeoutMs?: number;
}

export interface RunResult {
  /** Exit code; null when the child was killed by a signal (see `signal`). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout followed by stderr, for assertions that do not care which stream. */
  output: string;
}

function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: '1', FORCE_COLOR: undefined };
  for (const [k, v] of Object.entries(extra)) env[k] = v;
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env;
}

/** Runs any Node script (e.g. another bin in dist/) with the current Node binary. */
export function runNode(script: string, args: string[], opts: RunOptions = {}): RunResult {
  const r = spawnSync(process.execPath, [script, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    env: childEnv(opts.env),
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 30_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error && (r.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw r.error;
  const stdout = r.stdout ?? '';
  const stderr = r.stderr ?? '';
  return { code: r.status, signal: r.signal, stdout, stderr, output: `${stdout}${stderr}` };
}

/** Like runNode, without blocking: lets `it.concurrent` tests run several children at once. */
export function runNodeAsync(script: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd: opts.cwd ?? process.cwd(),
      env: childEnv(opts.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: opts.timeoutMs ?? 30_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, output: `${stdout}${stderr}` }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Runs `promptctl <args>` from dist/ without blocking. */
export function runCliAsync(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  assertBuilt();
  return runNodeAsync(CLI_PATH, args, opts);
}

/** Runs `promptctl <args>` from dist/. */
export function runCli(args: string[], opts: RunOptions = {}): RunResult {
  assertBuilt();
  return runNode(CLI_PATH, args, opts);
}

/** Throws a clear message when dist/ has not been built. */
export function assertBuilt(): void {
  if (!existsSync(CLI_PATH)) {
    throw new Error(`${CLI_PATH} does not exist: build first with \`npx tsc -p tsconfig.build.json\` (or npm run build)`);
  }
}

const created: string[] = [];

/** A fresh empty folder under the OS temp folder; `cleanupTempDirs()` removes every one made. */
export function makeTempDir(prefix = 'promptctl-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** A copy of a project folder (examples/quickstart by default) in a fresh temp folder; returns its root. */
export function makeProject(opts: { from?: string; prefix?: string } = {}): string {
  const dir = makeTempDir(opts.prefix);
  cpSync(opts.from ?? QUICKSTART, dir, { recursive: true });
  return dir;
}

/** Writes a file inside a project, creating folders as needed. */
export function writeProjectFile(root: string, rel: string, content: string | Uint8Array): string {
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, content);
  return abs;
}

export function readProjectFile(root: string, rel: string): string {
  return readFileSync(path.join(root, rel), 'utf8');
}

export function removeProjectFile(root: string, rel: string): void {
  rmSync(path.join(root, rel), { force: true, recursive: true });
}

export function cleanupTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}
