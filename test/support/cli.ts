import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli as runCliIo } from '../../src/cli.js';
import { reportCrash, reportOutcome } from '../../src/cli-outcome.js';

/**
 * Every way a test runs promptctl. Command tests call it in-process (`runCliInProcess`): the same
 * runCli and the same outcome printing as the binary, without a Node start-up per command. What
 * only a real process shows (exit codes and signals end to end, separate streams, the bundle) uses
 * the built binary: `runCli`, `runCliAsync`, `spawnCli`. Build first (`npm run build`); the tests never build.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI_PATH = path.join(REPO_ROOT, 'dist', 'bin', 'promptctl.cjs');
export const QUICKSTART = path.join(REPO_ROOT, 'examples', 'quickstart');
const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export interface RunOptions {
  /** Working folder of the command; defaults to the test process's cwd. */
  cwd?: string;
  /** Extra environment; `undefined` removes a variable. NO_COLOR=1 and CI=1 are set, FORCE_COLOR, VLLM_API_KEY, GITHUB_STEP_SUMMARY and PROMPTCTL_REGISTRY_URL removed. */
  env?: Record<string, string | undefined>;
  /** Text written to a spawned child's stdin (no command reads stdin; in-process runs refuse it). */
  input?: string;
  /** Kill a spawned child after this many milliseconds (default 30 s sync, 50 s async); a safety net, never an assertion. */
  timeoutMs?: number;
  /** In-process only: stdout is a terminal of this size (0×0: a pty without one), and stdin one when `stdin`. */
  terminal?: { columns: number; rows: number; stdin?: boolean };
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

/** The environment a command sees: the test process's, made plain and non-interactive, plus `extra`. */
/**
 * The actor a command records unless a test says otherwise (`env: { PROMPTCTL_ACTOR: undefined }`
 * to have it found as a user's would be, from git). Without one, every eval, deploy and rollback
 * asked `git config user.email`: hundreds of processes a run, each a fork of a large test worker.
 */
export const TEST_ACTOR = 'tester@example.com';

function commandEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  // PROMPTCTL_REGISTRY_URL in a developer's shell would point every test at a team registry.
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', CI: '1', FORCE_COLOR: undefined, VLLM_API_KEY: undefined, GITHUB_STEP_SUMMARY: undefined, PROMPTCTL_REGISTRY_URL: undefined, PROMPTCTL_ACTOR: TEST_ACTOR };
  for (const [k, v] of Object.entries(extra)) env[k] = v;
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env as Record<string, string>;
}

/**
 * `promptctl <args>` in this process: what the binary prints and the exit code it would end with.
 * Like a spawned child without a terminal: stdout is not a TTY, the environment is a fresh copy.
 */
export async function runCliInProcess(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  if (opts.input !== undefined) throw new Error('runCliInProcess has no stdin: spawn the binary (runCliAsync) to feed input');
  let stdout = '';
  let stderr = '';
  const writers = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t) };
  let code: number;
  try {
    const env = commandEnv(opts.env);
    const outcome = await runCliIo({
      argv: args,
      cwd: opts.cwd ?? process.cwd(),
      env,
      ...writers,
      stdoutIsTTY: opts.terminal !== undefined,
      ...(opts.terminal ? { stdoutColumns: opts.terminal.columns, stdoutRows: opts.terminal.rows } : {}),
      stdinIsTTY: opts.terminal?.stdin ?? false,
      version: VERSION,
    });
    code = await reportOutcome(outcome, writers, env);
  } catch (e) {
    code = reportCrash(e, writers);
  }
  return { code, signal: null, stdout, stderr, output: `${stdout}${stderr}` };
}

/** Runs any Node script (e.g. another bin in dist/) with the current Node binary. */
export function runNode(script: string, args: string[], opts: RunOptions = {}): RunResult {
  const r = spawnSync(process.execPath, [script, ...args], {
    cwd: opts.cwd ?? process.cwd(),
    env: commandEnv(opts.env),
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

export interface SpawnedChild {
  child: ChildProcess;
  /** Resolves when the child has exited and its streams are drained. */
  done: Promise<RunResult>;
}
/** The spawned binary (`spawnCli`). */
export type SpawnedCli = SpawnedChild;

/** Starts a Node script and returns at once, so the event loop (e.g. an in-process simulator) keeps running. */
export function spawnNode(script: string, args: string[], opts: RunOptions = {}): SpawnedChild {
  const child = spawn(process.execPath, [script, ...args], { cwd: opts.cwd ?? process.cwd(), env: commandEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 50_000);
  const done = new Promise<RunResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, output: `${stdout}${stderr}` });
    });
  });
  child.stdin!.end(opts.input ?? '');
  return { child, done };
}

/** Like runNode, without blocking: lets `it.concurrent` tests run several children at once. */
export function runNodeAsync(script: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return spawnNode(script, args, opts).done;
}

/** Starts the built `promptctl <args>` and returns at once (for signals and crashes). */
export function spawnCli(args: string[], opts: RunOptions = {}): SpawnedCli {
  assertBuilt();
  return spawnNode(CLI_PATH, args, opts);
}

/** Runs the built `promptctl <args>` as a child process without blocking. */
export function runCliAsync(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return spawnCli(args, opts).done;
}

/** Runs the built `promptctl <args>` as a child process and waits (blocks the event loop). */
export function runCli(args: string[], opts: RunOptions = {}): RunResult {
  assertBuilt();
  return runNode(CLI_PATH, args, opts);
}

/** Throws a clear message when dist/ has not been built. */
export function assertBuilt(): void {
  if (!existsSync(CLI_PATH)) {
    throw new Error(`${CLI_PATH} does not exist: build first with \`npm run build\``);
  }
}

/** Parses the stdout of a `--json` command, with the whole output in the error when it is not JSON. */
export function parseJsonOutput<T = any>(r: RunResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
  }
}
