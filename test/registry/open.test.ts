import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCliInProcess } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/core/errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/infra/registry/migrations.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { makeTempDir } from './harness.js';

let tmp: ReturnType<typeof makeTempDir>;
let open: Registry[] = [];

function registry(path: string, extra: { readonly?: boolean } = {}): Registry {
  const reg = openSqliteRegistry({ path, ...extra });
  open.push(reg);
  return reg;
}

beforeEach(async () => {
  tmp = makeTempDir();
  open = [];
});
afterEach(async () => {
  for (const reg of open) await reg.close();
  tmp.cleanup();
});

function catchError(fn: () => unknown): UnavailableError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as UnavailableError).exitCode).toBe(3);
    return err as UnavailableError;
  }
  throw new Error('expected an error');
}

const tablesOf = (db: Database.Database) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();

describe('opening and migrations', () => {
  it('creates the folder and migrates an empty file to the current schema with WAL', async () => {
    const path = join(tmp.dir, 'deep', 'er', 'registry.db');
    await registry(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(tablesOf(db)).toEqual(['chain_head', 'events', 'prompt_versions', 'response_cache', 'run_leases', 'runs', 'samples', 'secrets', 'superseded_versions', 'tested_marks']);
    db.close();
  });

  it('migrates an older registry on open, keeping its data', async () => {
    const path = join(tmp.dir, 'registry.db');
    const old = new Database(path);
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO prompt_versions VALUES ('p', '1.0.0', 'h', '{}', 'd', 'a', 'now')").run();
    await old.close();
    const reg = registry(path);
    expect((await reg.getVersion('p', '1.0.0'))?.contentHash).toBe('h');
    expect(await reg.getOrCreateSecret('canary')).toMatch(/^[0-9a-f]{64}$/);
    await reg.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('a read-only opener reads an older file as it is (never upgrading it), then reads what a writer wrote', async () => {
    const path = join(tmp.dir, 'registry.db');
    const old = new Database(path);
    old.pragma('journal_mode = WAL');
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.close();
    expect(await registry(path, { readonly: true }).listVersions()).toEqual([]);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(1);
    check.close();
    await registry(path).registerVersion({ promptId: 'p', version: '1.0.0', contentHash: 'h', content: '{}', description: 'd', author: 'a' });
    const reader = registry(path, { readonly: true });
    expect((await reader.getVersion('p', '1.0.0'))?.contentHash).toBe('h');
    await expect(reader.markTested({ promptId: 'p', version: '1.0.0', contentHash: 'h', model: 'm', actor: 'a', suites: [] })).rejects.toThrow(/opened read-only/);
  });

  it('refuses a registry written by a newer promptctl', async () => {
    const path = join(tmp.dir, 'registry.db');
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    const err = catchError(() => registry(path));
    expect(err.message).toBe(`registry was written by a newer promptctl (schema ${SCHEMA_VERSION + 5} > ${SCHEMA_VERSION})`);
    expect(err.hint).toMatch(/upgrade promptctl/);
    expect(catchError(() => registry(path, { readonly: true })).message).toMatch(/newer promptctl/);
  });

  it('refuses a file that is not a SQLite database, naming it', async () => {
    const path = join(tmp.dir, 'registry.db');
    writeFileSync(path, 'this is not a database, just some text that is long enough to have a header '.repeat(20));
    const err = catchError(() => registry(path));
    expect(err.message).toContain(path);
    expect(err.hint).toMatch(/not a SQLite database/);
  });

  it('refuses a path that is a folder, and a missing file in read-only mode', async () => {
    const folder = join(tmp.dir, 'a-folder');
    mkdirSync(folder);
    expect(catchError(() => registry(folder)).message).toContain(folder);
    catchError(() => registry(join(tmp.dir, 'missing.db'), { readonly: true }));
  });
});

describe('secrets', () => {
  it('creates a secret once and returns the same one afterwards, across connections', async () => {
    const path = join(tmp.dir, 'registry.db');
    const first = await registry(path).getOrCreateSecret('canary');
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await registry(path).getOrCreateSecret('canary')).toBe(first);
    expect(await registry(path, { readonly: true }).getOrCreateSecret('canary')).toBe(first);
    expect(await registry(path).getOrCreateSecret('other')).not.toBe(first);
    await expect(registry(path, { readonly: true }).getOrCreateSecret('never-made')).rejects.toSatisfy((err) => err instanceof UnavailableError && err.exitCode === 3);
  });
});

describe('the .promptctl folder promptctl makes', () => {
  it('keeps itself out of git, so a project init did not make never commits its registry', async () => {
    const path = join(tmp.dir, '.promptctl', 'registry.db');
    await registry(path).listPromptIds();
    expect(readFileSync(join(tmp.dir, '.promptctl', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('whichever makes .promptctl first, the file cache or the registry: a command of a project init did not make', async () => {
    const cwd = makeProject();
    rmSync(path.join(cwd, '.gitignore'), { force: true });
    rmSync(path.join(cwd, '.promptctl'), { recursive: true, force: true });
    const r = await runCliInProcess(['deploy', 'support-answer@1.0.0', '--env', 'development', '--actor', 'dev'], { cwd });
    expect(r.code, r.output).toBe(0);
    expect(readFileSync(path.join(cwd, '.promptctl', '.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('leaves a folder it did not make, and any other folder, as they are', async () => {
    mkdirSync(join(tmp.dir, '.promptctl'));
    await registry(join(tmp.dir, '.promptctl', 'registry.db')).listPromptIds();
    await registry(join(tmp.dir, 'data', 'registry.db')).listPromptIds();
    expect(existsSync(join(tmp.dir, '.promptctl', '.gitignore'))).toBe(false);
    expect(existsSync(join(tmp.dir, 'data', '.gitignore'))).toBe(false);
  });
});
