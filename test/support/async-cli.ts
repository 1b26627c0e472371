import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { assertBuilt, CLI_PATH, makeProject, type RunResult } from './cli.js';

/**
 * Asynchronous twins of test/support/cli.ts. The vLLM simulator runs inside the test process, so a
 * CLI child must be spawned without blocking the event loop (spawnSync would leave the simulator
 * unable to answer). Also: project setup against a simulator, and read-only registry access.
 */

export interface AsyncRunOptions {
  cwd: string;
  /** Extra environment; `undefined` removes a variable. NO_COLOR=1 and CI=1 are set, VLLM_API_KEY is removed. */
  env?: Record<string, string | undefined>;
  /** Kill the child (SIGKILL) after this long; a safety net, never an assertion (default 50 s). */
  timeoutMs?: number;
}

function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: '1', FORCE_COLOR: undefined, VLLM_API_KEY: undefined, GITHUB_STEP_SUMMARY: undefined };
  for (const [k, v] of Object.entries(extra)) env[k] = v;
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env;
}

export interface SpawnedCli {
  child: ChildProcess;
  /** Resolves when the child has exited and its streams are drained. */
  done: Promise<RunResult>;
}

/** Starts `promptctl <args>` from dist/ and returns at once. */
export function spawnCli(args: string[], opts: AsyncRunOptions): SpawnedCli {
  assertBuilt();
  const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: opts.cwd, env: childEnv(opts.env), stdio: ['ignore', 'pipe', 'pipe'] });
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
  return { child, done };
}

/** Runs `promptctl <args>` and waits for it. */
export function runCliAsync(args: string[], opts: AsyncRunOptions): Promise<RunResult> {
  return spawnCli(args, opts).done;
}

/** Parses the stdout of a `--json` command, with the whole output in the error when it is not JSON. */
export function parseJsonOutput<T = any>(r: RunResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
  }
}

export type ServerPatch = Record<string, unknown>;

/**
 * A copy of examples/quickstart pointed at `baseUrl`, with `server` fields patched
 * (e.g. `{ timeout_ms: 300, retries: {...} }`). Returns the project root.
 */
export function makeSimProject(baseUrl: string, server: ServerPatch = {}, prefix = 'promptctl-e2e-'): string {
  const dir = makeProject({ prefix });
  patchServerConfig(dir, { base_url: baseUrl, ...server });
  return dir;
}

export function patchServerConfig(dir: string, server: ServerPatch): void {
  const rc = path.join(dir, '.promptrc.yaml');
  const config = parseYaml(readFileSync(rc, 'utf8')) as { server: Record<string, unknown> };
  config.server = { ...config.server, ...server };
  writeFileSync(rc, stringifyYaml(config));
}

/** The registry of a quickstart-based project. */
export function registryPath(dir: string): string {
  return path.join(dir, '.promptctl', 'registry.db');
}

/** Opens the registry read-only (safe while a promptctl child writes to it: WAL). */
export function openRegistryReadonly(dir: string): Database.Database {
  const file = registryPath(dir);
  if (!existsSync(file)) throw new Error(`no registry at ${file}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/** Runs `fn` against a fresh read-only connection and closes it. */
export function withRegistry<T>(dir: string, fn: (db: Database.Database) => T): T {
  const db = openRegistryReadonly(dir);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Every table of the registry as text, one line per row, for "never stored" checks. */
export function dumpRegistry(dir: string): string {
  return withRegistry(dir, (db) => {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    const lines: string[] = [];
    for (const { name } of tables) {
      for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]) {
        lines.push(`${name}: ${JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('latin1') : v))}`);
      }
    }
    return lines.join('\n');
  });
}

/** A 127.0.0.1 port where nothing listens: bound on port 0, noted, closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Golden cases that the quickstart prompts answer from their facts, each with a unique question. */
export function generatedGoldenSuite(opts: { count: number; threshold?: number; versions?: string; prefix?: string }): string {
  const topics = [
    { q: 'How long do I have to ask for a refund', expect: '{ icontains: "30 days" }' },
    { q: 'How many days does standard shipping take', expect: '{ icontains: "business days" }' },
    { q: 'How do I reset my password', expect: '{ icontains: "account settings" }' },
    { q: 'What are your support hours', expect: '{ regex: "9am to 5pm" }' },
  ];
  const lines = [
    'prompt: support-answer',
    `versions: "${opts.versions ?? '>=1.0.0'}"`,
    'kind: golden',
    'description: Generated cases for an end-to-end test.',
    `threshold: ${opts.threshold ?? 0}`,
    'repeat: 1',
    'cases:',
  ];
  for (let i = 0; i < opts.count; i++) {
    const t = topics[i % topics.length]!;
    const id = `${opts.prefix ?? 'gen'}-${String(i).padStart(5, '0')}`;
    lines.push(`  - id: ${id}`);
    lines.push(`    vars: { question: "${t.q}? (ticket ${id})" }`);
    lines.push(`    expect:`);
    lines.push(`      - ${t.expect}`);
  }
  return `${lines.join('\n')}\n`;
}
