import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../src/core/errors.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { folderRefusedReader, onReadOnlyMedium, openSnapshot } from '../../src/infra/registry/sqlite-driver.js';
import { bundleModule, bundleRegistrySelfContained, makeTempDir, runNode, writeScript } from './harness.js';

/**
 * A registry in a folder this process cannot write: SQLite cannot make the -shm a WAL reader
 * shares with writers. On a read-only medium (a read-only mount, a ConfigMap) a reader opens the
 * file as an immutable snapshot; in a folder another user may write, it is refused. Tests run as
 * root, where permissions do not bind: the decision and the snapshot are tested here directly, and
 * one child process runs as `nobody` where that is possible.
 */

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());

const sqliteError = (code: string) => Object.assign(new Error('attempt to write a readonly database'), { code });

async function registryWithVersion(file: string): Promise<void> {
  const reg = openSqliteRegistry({ path: file });
  await reg.registerVersion({ promptId: 'p', version: '1.0.0', contentHash: 'h', content: '{}', description: 'd', author: 'a' });
  await reg.close();
}

describe('when a reader falls back to a snapshot', () => {
  const existing = () => {
    const file = join(tmp.dir, 'registry.db');
    writeFileSync(file, 'x');
    return file;
  };
  it.each([
    ['SQLITE_READONLY', true],
    ['SQLITE_READONLY_DIRECTORY', true],
    ['SQLITE_READONLY_CANTINIT', true],
    ['SQLITE_READONLY_RECOVERY', true],
    ['SQLITE_CANTOPEN', true],
    ['SQLITE_CORRUPT', false],
    ['SQLITE_NOTADB', false],
    ['SQLITE_BUSY', false],
    ['EACCES', false],
  ])('%s: %s', (code, fallsBack) => {
    expect(folderRefusedReader(sqliteError(code), existing())).toBe(fallsBack);
  });

  it('not SQLITE_CANTOPEN of a file that is not there', () => {
    expect(folderRefusedReader(sqliteError('SQLITE_CANTOPEN'), join(tmp.dir, 'missing.db'))).toBe(false);
  });
});

describe('a snapshot of the registry', () => {
  it('reads the file alone and leaves nothing beside it (in a child process: SQLite takes URI file names only as promptctl loads it first)', async () => {
    const file = join(tmp.dir, 'registry.db');
    await registryWithVersion(file);
    const work = makeTempDir();
    try {
      const driver = await bundleModule(work.dir, 'src/infra/registry/sqlite-driver.ts', 'driver.mjs');
      const script = writeScript(
        work.dir,
        'snapshot.mjs',
        `const { openSnapshot } = await import(${JSON.stringify(driver)});
         const db = openSnapshot(${JSON.stringify(file)}, Object.assign(new Error('readonly'), { code: 'SQLITE_READONLY_DIRECTORY' }), true);
         console.log(db.prepare("SELECT content_hash FROM prompt_versions WHERE prompt_id = 'p'").pluck().get());
         db.close();`,
      );
      const r = await runNode(script, []);
      expect(r.stderr).toBe('');
      expect(r.stdout.trim()).toBe('h');
      expect(readdirSync(tmp.dir)).toEqual(['registry.db']);
    } finally {
      work.cleanup();
    }
  });

  it('is refused when a -wal beside the file holds changes the file alone would miss', async () => {
    const file = join(tmp.dir, 'registry.db');
    await registryWithVersion(file);
    // A writer that has not checkpointed: its changes are in the -wal, not yet in the file.
    const writer = new Database(file);
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare("INSERT INTO prompt_versions VALUES ('p', '2.0.0', 'h2', '{}', 'd', 'a', 'now')").run();
    try {
      expect(() => openSnapshot(file, sqliteError('SQLITE_READONLY_DIRECTORY'), true)).toThrow(UnavailableError);
      expect(() => openSnapshot(file, sqliteError('SQLITE_READONLY_DIRECTORY'), true)).toThrow(/write-ahead log .* still holds changes/);
    } finally {
      writer.close();
    }
  });
});

// A real reader as an unprivileged user, in a folder owned by root: where `runuser` and root exist
// (the reader needs nothing of this checkout, which `nobody` may not be able to read).
const asNobody = process.getuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '-e', '0']).status === 0;

describe('a snapshot is taken only on a read-only medium', () => {
  it('a folder this user merely cannot write (another user deploys into it) is refused, never read as a snapshot that goes stale', async () => {
    const file = join(tmp.dir, 'registry.db');
    await registryWithVersion(file);
    expect(onReadOnlyMedium(file)).toBe(false);
    expect(() => openSnapshot(file, sqliteError('SQLITE_READONLY_DIRECTORY'))).toThrow(/its folder cannot be written by this user/);
    expect(() => openSnapshot(file, sqliteError('SQLITE_READONLY_DIRECTORY'))).toThrow(UnavailableError);
  });
});

describe('a reader in a folder it cannot write', () => {
  it.skipIf(!asNobody)('as `nobody`, in a root-owned folder on a writable file system: exit 3 saying why, and no -shm or -wal left (skipped unless root with runuser)', async () => {
    const file = join(tmp.dir, 'registry.db');
    await registryWithVersion(file);
    const bundle = await bundleRegistrySelfContained(tmp.dir);
    const script = writeScript(
      tmp.dir,
      'read.mjs',
      `const { openSqliteRegistry } = await import(${JSON.stringify(bundle)});
       const reg = openSqliteRegistry({ path: ${JSON.stringify(file)}, readonly: true });
       console.log((await reg.getVersion('p', '1.0.0'))?.contentHash);
       await reg.close();`,
    );
    chmodSync(tmp.dir, 0o755);
    const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, script], { encoding: 'utf8' });
    expect(r.stderr).toMatch(/its folder cannot be written by this user/);
    expect(r.stdout.trim()).toBe('');
    expect(existsSync(`${file}-shm`) || existsSync(`${file}-wal`)).toBe(false);
  });
});

describe('a writer in a folder it cannot write', () => {
  // Its hint said "commands that only show what is recorded still read it", while status and history
  // then refused the same user ("its folder cannot be written by this user", above).
  it.skipIf(!asNobody)('as `nobody`, in a root-owned folder: exit 3 whose hint promises no reads that would be refused (skipped unless root with runuser)', async () => {
    const file = join(tmp.dir, 'registry.db');
    await registryWithVersion(file);
    const bundle = await bundleRegistrySelfContained(tmp.dir);
    const script = writeScript(
      tmp.dir,
      'write.mjs',
      `const { openSqliteRegistry } = await import(${JSON.stringify(bundle)});
       try { await openSqliteRegistry({ path: ${JSON.stringify(file)} }).close(); console.log('{}'); }
       catch (e) { console.log(JSON.stringify({ exitCode: e.exitCode, message: e.message, hint: e.hint })); }`,
    );
    chmodSync(tmp.dir, 0o755);
    const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, script], { encoding: 'utf8' });
    const err = JSON.parse(r.stdout) as { exitCode?: number; message?: string; hint?: string };
    expect(err.exitCode, r.stdout + r.stderr).toBe(3);
    expect(err.message).toBe(`cannot open the registry at ${file}`);
    expect(err.hint).not.toMatch(/still read it/);
    expect(err.hint).toMatch(/this user cannot read it there either/);
  });
});
