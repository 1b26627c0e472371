import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { QUICKSTART } from './cli.js';

/**
 * Test projects: temp folders, copies of examples/quickstart (optionally pointed at a simulator),
 * file edits inside them, and read-only looks at their registry. Running promptctl is cli.ts.
 */

const created: string[] = [];

/** A fresh empty folder under the OS temp folder; `cleanupTempDirs()` removes every one made. */
export function makeTempDir(prefix = 'promptctl-test-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/**
 * A copy of a project folder (examples/quickstart by default) in a fresh temp folder; returns its root.
 * A copy of the quickstart keeps fewer attack packs (TEST_ATTACK_PACKS).
 */
export function makeProject(opts: { from?: string; prefix?: string } = {}): string {
  const dir = makeTempDir(opts.prefix);
  const from = opts.from ?? QUICKSTART;
  cpSync(from, dir, { recursive: true });
  if (path.resolve(from) === path.resolve(QUICKSTART)) setAttackPacks(dir, TEST_ATTACK_PACKS);
  return dir;
}

/**
 * The attack packs of a test copy of the quickstart. The example ships `attacks: [all]`, nine packs
 * and about 190 attacks, so every adversarial run in a command test made about 190 requests and ran
 * every detector on each answer: over a quarter of the suite's CPU time (measured on 2 cores: 369 s
 * with every pack, 265 s with this one), for code paths one pack exercises as well. With the suite's
 * two hand-written cases it still provokes both kinds of leak the gates count (PII and the system
 * prompt) from a prompt without defences. Tests about the packs, their categories or the example's
 * full summaries call `allAttackPacks`.
 */
export const TEST_ATTACK_PACKS = ['pii-exfil'] as const;

const ADVERSARIAL_SUITE = path.join('evalsets', 'support-answer', 'adversarial.yaml');

/** Gives a test copy of the quickstart every shipped attack pack again, as the example has them. */
export function allAttackPacks(dir: string): void {
  setAttackPacks(dir, ['all']);
}

function setAttackPacks(dir: string, packs: readonly string[]): void {
  const file = path.join(dir, ADVERSARIAL_SUITE);
  const text = readFileSync(file, 'utf8');
  const changed = text.replace(/^attacks: \[[^\]]*\]$/m, `attacks: [${packs.join(', ')}]`);
  // The example's line moved or changed shape: fail loudly rather than test every pack unnoticed.
  if (changed === text && !text.includes(`attacks: [${packs.join(', ')}]`)) throw new Error(`no 'attacks: [...]' line in ${file}`);
  writeFileSync(file, changed);
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

/**
 * Allows any p95 latency change against the deployed version in every environment, for tests whose
 * gates are about something else: latencies measured in separate runs on a loaded machine are
 * noise, and no verdict in a test may depend on timing.
 */
export function relaxLatencyGate(dir: string): void {
  const rc = path.join(dir, '.promptrc.yaml');
  const config = parseYaml(readFileSync(rc, 'utf8')) as { environments: Array<{ gates?: Record<string, unknown> }> };
  for (const env of config.environments) env.gates = { ...env.gates, max_p95_latency_increase_ms: 3_600_000 };
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
