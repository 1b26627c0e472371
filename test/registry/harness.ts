import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { build } from 'esbuild';

/**
 * Helpers for registry tests: temp folders, and child processes that use the real registry code.
 * Children need JavaScript; rather than depend on a possibly stale or missing dist/, the registry
 * source is bundled fresh with esbuild (which vitest already brings), and the temp folder gets a
 * node_modules link so better-sqlite3 resolves from there.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function makeTempDir(prefix = 'promptctl-registry-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Bundles src/infra/registry/sqlite.ts into `dir/registry.mjs`; returns its path. */
export function bundleRegistry(dir: string): Promise<string> {
  return bundleModule(dir, 'src/infra/registry/sqlite.ts', 'registry.mjs');
}

/** Bundles `entry` (from the repository root) into `dir/name` for a child process; returns its path. */
export async function bundleModule(dir: string, entry: string, name: string): Promise<string> {
  const outfile = join(dir, name);
  await build({ ...BUILD, entryPoints: [join(ROOT, entry)], outfile, packages: 'external' });
  if (!existsSync(join(dir, 'node_modules'))) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return outfile;
}

const BUILD = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'silent' } as const;

/**
 * As bundleRegistry, but needing nothing of this checkout: every package bundled in, and
 * better-sqlite3 (a native addon) copied beside it with what it loads. For a child run as another
 * user, who may not be able to read the checkout (a clone in a `mktemp -d` folder is 700).
 */
export async function bundleRegistrySelfContained(dir: string): Promise<string> {
  const outfile = join(dir, 'registry.mjs');
  // A bundled CommonJS package calls require(); give the ES module one.
  const banner = { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" };
  await build({ ...BUILD, entryPoints: [join(ROOT, 'src/infra/registry/sqlite.ts')], outfile, external: ['better-sqlite3'], banner });
  const from = join(ROOT, 'node_modules');
  const to = join(dir, 'node_modules');
  for (const part of ['better-sqlite3/package.json', 'better-sqlite3/lib', 'better-sqlite3/build/Release/better_sqlite3.node', 'bindings', 'file-uri-to-path']) {
    cpSync(join(from, part), join(to, part), { recursive: true });
  }
  return outfile;
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Writes `source` to `dir/name` and runs it with node. */
export function writeScript(dir: string, name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

export function runNode(script: string, args: string[], opts: { onStdout?: (chunk: string, kill: () => void) => void } = {}): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      opts.onStdout?.(stdout, () => child.kill('SIGKILL'));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

/** The SHA-256 of a file's bytes: whether a reader left a registry file as it was. */
export function fileSha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** A SQLite file's schema version (`PRAGMA user_version`), read without changing it. */
export function userVersion(file: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}
