import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { runCliInProcess } from '../support/cli.js';
import { startSimulator } from '../../src/sim/server.js';
import { cleanupTempDirs, makeProject, makeTempDir, patchServerConfig, registryPath } from '../support/project.js';
import { markTested, patchConfig } from '../support/registry-cli.js';

/**
 * A registry file damaged under promptctl (corrupt pages, a foreign or empty file): every command
 * that reads it stops with exit 3 naming the file, SQLite's reason and what to do (restore a
 * backup, or `sqlite3 .recover`), never a stack trace (exit 70).
 */

const ID = 'support-answer';
let template: string;

beforeAll(async () => {
  template = makeProject();
  markTested(template, `${ID}@1.0.0`);
  const r = await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'development'], { cwd: template });
  expect(r.code, r.output).toBe(0);
});
afterAll(() => cleanupTempDirs());

/** A copy of the project with history, whose registry `damage` then changes. */
function projectWith(damage: (file: string) => void): string {
  const dir = makeProject({ from: template });
  damage(registryPath(dir));
  return dir;
}

/** Overwrites every page after the first with a repeating pattern (the header and schema page stay). */
export function corruptPagesAfterFirst(file: string): void {
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  try {
    const junk = Buffer.alloc(size - 4096, 0xa5);
    writeSync(fd, junk, 0, junk.length, 4096);
  } finally {
    closeSync(fd);
  }
}

const READERS: string[][] = [
  ['status'],
  ['history'],
  ['audit', 'verify'],
  ['get', ID, '--env', 'development'],
  ['export', '--env', 'development'],
];
const WRITERS: string[][] = [['deploy', `${ID}@1.0.0`, '--env', 'staging'], ['eval', `${ID}@1.0.0`]];

describe('a registry with corrupt pages', () => {
  it.each([...READERS, ...WRITERS])('%s … exits 3 naming the file, the reason and the way out', async (...args) => {
    const dir = projectWith(corruptPagesAfterFirst);
    const r = await runCliInProcess(args, { cwd: dir });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).not.toMatch(/hit a bug/);
    expect(r.stderr).toContain(registryPath(dir));
    expect(r.stderr).toMatch(/damaged|malformed|not a database/);
    expect(r.stderr).toMatch(/^hint: .*backup.*\.recover/m);
  });
});

/** Overwrites one 4 KB page (the third) with a pattern: a few KB of damage, the rest readable. */
function corruptThirdPage(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 8192);
  } finally {
    closeSync(fd);
  }
}

const hasSqlite3 = spawnSync('sqlite3', ['--version']).status === 0;

describe('the recovery the hint gives', () => {
  it('points registry.path at the recovered copy before audit verify, and falls back to .dump where .recover fails', async () => {
    const dir = projectWith(corruptThirdPage);
    const r = await runCliInProcess(['status'], { cwd: dir });
    expect(r.code, r.output).toBe(3);
    const hint = r.stderr.split('\n').find((l) => l.startsWith('hint: '))!;
    expect(hint).toMatch(/then point registry\.path in \.promptrc\.yaml at \S+\.recovered and check it with `promptctl audit verify`/);
    const [recover, dump] = [...hint.matchAll(/`(sqlite3 [^`]+)`/g)].map((m) => m[1]!);
    expect(dump).toMatch(/\.dump .*PRAGMA user_version/);
    if (!hasSqlite3) return;
    // Followed as written: .recover, and where it fails or leaves nothing (sqlite3 3.40), the fallback.
    const copy = `${registryPath(dir)}.recovered`;
    const first = spawnSync('sh', ['-c', recover!]);
    if (first.status !== 0 || !existsSync(copy) || statSync(copy).size === 0 || /error/i.test(String(first.stderr))) {
      rmSync(copy, { force: true });
      expect(spawnSync('sh', ['-c', dump!]).status).toBe(0);
    }
    patchConfig(dir, (c) => (c.registry = { path: '.promptctl/registry.db.recovered' }));
    const verify = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(verify.code, verify.output).toBe(0);
    expect((await runCliInProcess(['status'], { cwd: dir })).code).toBe(0);
  });
});

describe('lint and list on a registry they cannot read', () => {
  it('warn, still check the files, and claim no version is a draft or released', async () => {
    const dir = projectWith(corruptPagesAfterFirst);
    const r = await runCliInProcess(['list', '--json'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    const listing = JSON.parse(r.stdout) as { prompts: Array<{ id: string; states: Record<string, string> }>; problemDetails: Array<{ severity: string; message: string }> };
    expect(listing.prompts.find((p) => p.id === ID)!.states).toEqual({ '1.1.0': 'unknown', '1.0.0': 'unknown' });
    expect(listing.problemDetails).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringMatching(/^could not read the registry/) })]);
    const text = await runCliInProcess(['list'], { cwd: dir });
    expect(text.stdout).toContain(`${ID}  latest 1.1.0  (2 versions: 1.1.0 state unknown, 1.0.0 state unknown)`);
    expect(text.stdout).not.toMatch(/\d (draft|released)\b/);
  });
});

describe('a file at the registry path that is no registry', () => {
  it('a text file claiming the registry path is exit 3, damaged, and is left as it was', async () => {
    const dir = projectWith((file) => {
      closeSync(openSync(file, 'w'));
      const fd = openSync(file, 'w');
      writeSync(fd, 'these are my notes, not a database\n'.repeat(200));
      closeSync(fd);
    });
    const before = statSync(registryPath(dir)).size;
    for (const args of [['status'], ['deploy', `${ID}@1.0.0`, '--env', 'staging']]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code, r.output).toBe(3);
      expect(r.stderr).toMatch(/not a SQLite database|damaged/);
      expect(r.stderr).toContain(registryPath(dir));
    }
    expect(statSync(registryPath(dir)).size).toBe(before);
  });

  it('a zero-length file is refused with a hint, never taken as a fresh registry', async () => {
    const dir = projectWith((file) => closeSync(openSync(file, 'w')));
    for (const args of [['status'], ['deploy', `${ID}@1.0.0`, '--env', 'development'], ['history']]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code, `${args.join(' ')}\n${r.output}`).toBe(3);
      expect(r.stderr).toMatch(/is empty \(0 bytes\)/);
      expect(r.stderr).toContain(registryPath(dir));
      expect(r.stderr).toMatch(/^hint: .*backup/m);
    }
    expect(statSync(registryPath(dir)).size).toBe(0);
  });

  it('a registry copied without its -wal (a bare SQLite header, no tables) is refused the same way', async () => {
    const dir = projectWith((file) => {
      writeFileSync(file, '');
      const bare = new Database(file);
      bare.pragma('journal_mode = WAL');
      bare.close();
    });
    for (const args of [['status'], ['deploy', `${ID}@1.0.0`, '--env', 'development']]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code, `${args.join(' ')}\n${r.output}`).toBe(3);
      expect(r.stderr).toContain(`the registry at ${registryPath(dir)} holds no schema`);
      expect(r.stderr).toMatch(/^hint: .*backup/m);
    }
    const db = new Database(registryPath(dir), { readonly: true });
    expect(db.prepare('SELECT count(*) FROM sqlite_schema').pluck().get()).toBe(0);
    db.close();
  });

  it('a copy of a good registry still works (the damage is what is refused)', async () => {
    const dir = projectWith((file) => copyFileSync(file, `${file}.bak`));
    const r = await runCliInProcess(['status'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
  });
});

describe('a full disk', () => {
  it('eval on a full disk: exit 3 saying so, with the file; what was recorded stays', async () => {
    const sim = await startSimulator({ port: 0 });
    const dir = makeProject({ from: template });
    patchServerConfig(dir, { base_url: sim.url });
    // The only deterministic full disk in-process: every connection opened during the run is capped
    // at the size its file has (SQLite's max_page_count), so the first write that grows it fails.
    const prepare = Database.prototype.prepare;
    const capped = new WeakSet<object>();
    Database.prototype.prepare = function (this: Database.Database, ...args: Parameters<typeof prepare>) {
      if (!capped.has(this) && !this.readonly && this.name !== ':memory:') {
        capped.add(this);
        this.pragma(`max_page_count = ${this.pragma('page_count', { simple: true }) as number}`);
      }
      return prepare.apply(this, args);
    } as typeof prepare;
    let r: Awaited<ReturnType<typeof runCliInProcess>>;
    try {
      r = await runCliInProcess(['eval', `${ID}@1.1.0`], { cwd: dir });
    } finally {
      Database.prototype.prepare = prepare;
      await sim.close();
    }
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).not.toMatch(/hit a bug/);
    expect(r.stderr).toContain(`error: the disk holding the registry at ${registryPath(dir)} is full`);
    expect(r.stderr).toMatch(/^hint: free space/m);
    // Rolled back: the registry is as it was, and usable once there is room.
    const status = await runCliInProcess(['status'], { cwd: dir });
    expect(status.code, status.output).toBe(0);
    expect(status.stdout).toMatch(/support-answer +development +1\.0\.0/);
  });

  it('a write that cannot grow the file is exit 3 saying the disk is full; it is rolled back and the registry stays usable', async () => {
    const file = path.join(makeTempDir(), 'registry.db');
    const reg = openSqliteRegistry({ path: file });
    const version = { promptId: 'p', version: '1.0.0', contentHash: 'h1', content: '{}', description: 'd', author: 'a' };
    try {
      await reg.registerVersion(version);
      // The only deterministic full disk: cap the file at its current size (SQLite's max_page_count, per connection).
      const db = (reg as unknown as { store: { db: Database.Database } }).store.db;
      db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      const big = { ...version, version: '2.0.0', contentHash: 'h2', content: JSON.stringify({ text: 'x'.repeat(200_000) }) };
      const err = await reg.registerVersion(big).then(
        () => undefined,
        (e: unknown) => e as { exitCode?: number; message: string; why?: string; hint?: string },
      );
      expect(err?.exitCode, String(err?.message)).toBe(3);
      expect(err?.message).toBe(`the disk holding the registry at ${file} is full`);
      expect(err?.why).toMatch(/SQLITE_FULL.*rolled back/);
      expect(err?.hint).toMatch(/free space/);
      expect(await reg.getVersion('p', '2.0.0')).toBeUndefined();
      expect((await reg.getVersion('p', '1.0.0'))?.contentHash).toBe('h1');
    } finally {
      await reg.close();
    }
  });
});

describe('registry.path naming what cannot be a registry', () => {
  it.each([
    ['a folder', '.promptctl', 'which is a folder'],
    ['a device', '/dev/null', 'a device or special file'],
    ['the config itself', '.promptrc.yaml', 'a YAML file'],
    ['a prompt version', 'prompts/support-answer/1.0.0.yaml', 'a YAML file'],
    ['a path under a file', 'notes.txt/registry.db', 'is a file, not a folder'],
    // Opened, it read as a damaged registry (exit 3, with a sqlite3 .recover hint for a CSV).
    ["a suite's data file", 'notes.csv', 'a CSV file, not a SQLite database'],
  ])('%s (%s) is a config error: exit 2 naming the path and registry.path, and nothing is written there', async (_name, registryPathValue, why) => {
    const dir = makeProject({ from: template });
    writeFileSync(path.join(dir, 'notes.txt'), 'notes\n');
    writeFileSync(path.join(dir, 'notes.csv'), 'id,question\na,hi\n');
    patchConfig(dir, (c: { registry?: { path: string } }) => {
      c.registry = { path: registryPathValue };
    });
    const yamlBefore = readFileSync(path.join(dir, 'prompts/support-answer/1.0.0.yaml'), 'utf8');
    const configBefore = readFileSync(path.join(dir, '.promptrc.yaml'), 'utf8');
    for (const args of [['status'], ['deploy', `${ID}@1.0.0`, '--env', 'development'], ['eval', `${ID}@1.0.0`]]) {
      const r = await runCliInProcess(args, { cwd: dir });
      expect(r.code, `${args.join(' ')}\n${r.output}`).toBe(2);
      expect(r.stderr).toContain(`registry.path (${registryPathValue}) names ${path.resolve(dir, registryPathValue)}`);
      expect(r.stderr).toContain(why);
      expect(r.stderr).toMatch(/^  \.promptrc\.yaml:\d+:\d+ registry\.path:/m);
      // One example, a file in the folder it named.
      if (registryPathValue === '.promptctl') expect(r.stderr).toMatch(/^hint: set registry\.path in \.promptrc\.yaml to a file for the registry, e\.g\. \.promptctl\/registry\.db$/m);
    }
    const lint = await runCliInProcess(['lint'], { cwd: dir });
    expect(lint.code, lint.output).toBe(2);
    expect(lint.output).toMatch(/\.promptrc\.yaml:\d+:\d+ error registry\.path: registry\.path \(.*\) names .*\[config\/registry-path\]/);
    expect(readFileSync(path.join(dir, 'prompts/support-answer/1.0.0.yaml'), 'utf8')).toBe(yamlBefore);
    expect(readFileSync(path.join(dir, '.promptrc.yaml'), 'utf8')).toBe(configBefore);
  });
});

describe('after an unclean close (a write-ahead log left behind)', () => {
  /**
   * A project whose registry looks as a killed process leaves it: the main file plus a -wal with
   * writes not yet checkpointed. With `damage`, a page of the response cache (which deploy never
   * reads) is overwritten in the main file first, so only an integrity check can notice it.
   */
  function crashedProject(damage: boolean): string {
    const dir = makeProject({ from: template });
    const file = registryPath(dir);
    const db = new Database(file);
    db.pragma('wal_autocheckpoint = 0');
    const insert = db.prepare('INSERT INTO response_cache (key, output, latency_ms, tokens_in, tokens_out, created_at) VALUES (?, ?, 1, 1, 1, ?)');
    db.transaction(() => {
      for (let i = 0; i < 400; i++) insert.run(`key-${i}`, 'x'.repeat(200), '2000-01-01T00:00:00.000Z');
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const root = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'response_cache'").pluck().get() as number;
    db.prepare("INSERT INTO secrets (name, value, created_at) VALUES ('left-in-the-wal', 'v', '2000-01-01T00:00:00.000Z')").run();
    // The "crash": copy the files while the connection is open, as a killed process leaves them.
    const crashed = path.join(makeTempDir(), 'registry.db');
    copyFileSync(file, crashed);
    copyFileSync(`${file}-wal`, `${crashed}-wal`);
    db.close();
    copyFileSync(crashed, file);
    copyFileSync(`${crashed}-wal`, `${file}-wal`);
    if (damage) {
      const fd = openSync(file, 'r+');
      writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, (root - 1) * 4096);
      closeSync(fd);
    }
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    return dir;
  }

  it('a write command checks the registry first and refuses (exit 3) to write into a damaged one', async () => {
    const dir = crashedProject(true);
    const before = readFileSync(registryPath(dir));
    const r = await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'staging', '--reason', 'r', '--actor', 'a@example.com'], { cwd: dir });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/is damaged: SQLite's quick_check found/);
    expect(r.stderr).toMatch(/did not close it cleanly/);
    expect(r.stderr).toMatch(/^hint: .*\.recover/m);
    expect(readFileSync(registryPath(dir)).equals(before)).toBe(true);
  });

  it('an intact registry left by a crash is used as it is (the check passes; the log is recovered)', async () => {
    const dir = crashedProject(false);
    const r = await runCliInProcess(['deploy', `${ID}@1.0.0`, '--env', 'staging', '--reason', 'r', '--actor', 'a@example.com'], { cwd: dir });
    expect(r.code, r.output).toBe(0);
    // A clean close removes the log again: the next writer checks nothing.
    expect(existsSync(`${registryPath(dir)}-wal`)).toBe(false);
  });

  it('audit verify includes integrity_check: a damaged page the chain never reads is exit 3, not "intact"', async () => {
    const dir = crashedProject(true);
    const r = await runCliInProcess(['audit', 'verify'], { cwd: dir });
    expect(r.code, r.output).toBe(3);
    expect(r.stderr).toMatch(/is damaged: SQLite's integrity_check found/);
    expect(r.stderr).toMatch(/^hint: .*backup/m);
    expect((await runCliInProcess(['audit', 'verify'], { cwd: crashedProject(false) })).code).toBe(0);
  });
});
