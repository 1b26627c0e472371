import { mkdirSync, writeFileSync } from 'node:fs';
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

beforeEach(() => {
  tmp = makeTempDir();
  open = [];
});
afterEach(() => {
  for (const reg of open) reg.close();
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
  it('creates the folder and migrates an empty file to the current schema with WAL', () => {
    const path = join(tmp.dir, 'deep', 'er', 'registry.db');
    registry(path).close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(tablesOf(db)).toEqual(['chain_head', 'events', 'prompt_versions', 'response_cache', 'runs', 'samples', 'secrets', 'superseded_versions', 'tested_marks']);
    db.close();
  });

  it('migrates an older registry on open, keeping its data', () => {
    const path = join(tmp.dir, 'registry.db');
    const old = new Database(path);
    old.exec(MIGRATIONS[0]!);
    old.pragma('user_version = 1');
    old.prepare("INSERT INTO prompt_versions VALUES ('p', '1.0.0', 'h', '{}', 'd', 'a', 'now')").run();
    old.close();
    const reg = registry(path);
    expect(reg.getVersion('p', '1.0.0')?.contentHash).toBe('h');
    expect(reg.getOrCreateSecret('canary')).toMatch(/^[0-9a-f]{64}$/);
    reg.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('a read-only opener migrates an older file once, then reads what a writer wrote', () => {
    const path = join(tmp.dir, 'registry.db');
    new Database(path).close();
    expect(registry(path, { readonly: true }).listVersions()).toEqual([]);
    registry(path).registerVersion({ promptId: 'p', version: '1.0.0', contentHash: 'h', content: '{}', description: 'd', author: 'a' });
    const reader = registry(path, { readonly: true });
    expect(reader.getVersion('p', '1.0.0')?.contentHash).toBe('h');
    expect(() => reader.markTested({ promptId: 'p', version: '1.0.0', contentHash: 'h', model: 'm', source: 'run', suites: [] })).toThrow(/opened read-only/);
  });

  it('refuses a registry written by a newer promptctl', () => {
    const path = join(tmp.dir, 'registry.db');
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    const err = catchError(() => registry(path));
    expect(err.message).toBe(`registry was written by a newer promptctl (schema ${SCHEMA_VERSION + 5} > ${SCHEMA_VERSION})`);
    expect(err.hint).toMatch(/upgrade promptctl/);
    expect(catchError(() => registry(path, { readonly: true })).message).toMatch(/newer promptctl/);
  });

  it('refuses a file that is not a SQLite database, naming it', () => {
    const path = join(tmp.dir, 'registry.db');
    writeFileSync(path, 'this is not a database, just some text that is long enough to have a header '.repeat(20));
    const err = catchError(() => registry(path));
    expect(err.message).toContain(path);
    expect(err.hint).toMatch(/not a SQLite database/);
  });

  it('refuses a path that is a folder, and a missing file in read-only mode', () => {
    const folder = join(tmp.dir, 'a-folder');
    mkdirSync(folder);
    expect(catchError(() => registry(folder)).message).toContain(folder);
    catchError(() => registry(join(tmp.dir, 'missing.db'), { readonly: true }));
  });
});

describe('secrets', () => {
  it('creates a secret once and returns the same one afterwards, across connections', () => {
    const path = join(tmp.dir, 'registry.db');
    const first = registry(path).getOrCreateSecret('canary');
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(registry(path).getOrCreateSecret('canary')).toBe(first);
    expect(registry(path, { readonly: true }).getOrCreateSecret('canary')).toBe(first);
    expect(registry(path).getOrCreateSecret('other')).not.toBe(first);
    catchError(() => registry(path, { readonly: true }).getOrCreateSecret('never-made'));
  });
});
