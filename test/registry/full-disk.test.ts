import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { cleanupTempDirs } from '../support/project.js';
import { canMountSmallDisk, mountSmallDisk, type SmallDisk } from '../support/small-disk.js';

/**
 * The registry on a disk that is full, or nearly: exit 3 saying so, and a registry that works once
 * there is room. On a small tmpfs of the test's own (test/support/small-disk.ts: root, as in CI;
 * skipped as another user).
 */

let disk: SmallDisk;
beforeAll(() => {
  if (canMountSmallDisk) disk = mountSmallDisk(2048);
});
afterAll(() => {
  disk?.unmount();
  cleanupTempDirs();
});

type Failure = { exitCode?: number; message: string; why?: string; hint?: string };

async function openAndClose(file: string): Promise<Failure | undefined> {
  try {
    const reg = openSqliteRegistry({ path: file });
    await reg.registerVersion({ promptId: 'p', version: '1.0.0', contentHash: 'h1', content: '{}', description: 'd', author: 'a' });
    await reg.close();
    return undefined;
  } catch (err) {
    return err as Failure;
  }
}

describe.skipIf(!canMountSmallDisk)('a new registry on a disk with little room (skipped unless root: it mounts a tmpfs)', () => {
  // 100 KB: too little for the migrations. 300 KB: enough for them in a write-ahead log, but not
  // for moving them into the file as well, which left a registry damaged for good.
  it.each([100, 300])('%s KB left: made whole, or exit 3 saying the disk is full with nothing left behind; intact once there is room', async (kb) => {
    const file = path.join(disk.dir, 'registry.db');
    disk.fillLeaving(kb * 1024);
    const err = await openAndClose(file);
    if (err) {
      expect(err.exitCode, String(err.message)).toBe(3);
      expect(err.message).toMatch(new RegExp(`^the disk holding the registry at ${file} is (nearly )?full`));
      expect(err.hint).toMatch(/^free space on that disk/);
      // No registry, nor a temporary one: the next command makes a new one.
      expect(readdirSync(disk.dir).filter((f) => f !== 'fill')).toEqual([]);
    }
    disk.unfill();
    expect(await openAndClose(file)).toBeUndefined();
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT version FROM prompt_versions').pluck().all()).toEqual(['1.0.0']);
    } finally {
      db.close();
    }
    for (const f of readdirSync(disk.dir)) if (f.startsWith('registry.db')) rmSync(path.join(disk.dir, f));
  });
});

describe.skipIf(!canMountSmallDisk)('a registry on a disk with no room left (skipped unless root: it mounts a tmpfs)', () => {
  it('writer and reader alike: exit 3 saying the disk is full (not an I/O error to restore a backup for); usable once there is room', async () => {
    const file = path.join(disk.dir, 'registry.db');
    expect(await openAndClose(file)).toBeUndefined();
    // As after every clean close: no -shm, which the next connection makes anew (and cannot, here).
    expect(readdirSync(disk.dir).filter((f) => f.startsWith('registry.db'))).toEqual(['registry.db']);
    disk.fillLeaving(0);
    for (const readonly of [false, true]) {
      let err: Failure | undefined;
      try {
        await openSqliteRegistry({ path: file, readonly }).close();
      } catch (e) {
        err = e as Failure;
      }
      expect(err?.exitCode, `${readonly ? 'reader' : 'writer'}: ${String(err?.message)} ${String(err?.why)}`).toBe(3);
      expect(err?.message).toMatch(new RegExp(`^the disk holding the registry at ${file} is (nearly )?full`));
      expect(err?.hint).toMatch(/^free space on that disk/);
      expect(err?.hint).not.toMatch(/backup/);
    }
    disk.unfill();
    expect(await openAndClose(file)).toBeUndefined();
    for (const f of readdirSync(disk.dir)) if (f.startsWith('registry.db')) rmSync(path.join(disk.dir, f));
  });
});

describe.skipIf(!canMountSmallDisk)('a registry on a nearly full disk (skipped unless root: it mounts a tmpfs)', () => {
  it('a writer is refused before it opens (exit 3, how much is free) and writes nothing; a reader still reads', async () => {
    const file = path.join(disk.dir, 'registry.db');
    expect(await openAndClose(file)).toBeUndefined();
    const before = readFileSync(file);
    // Room for SQLite's files beside it (on a tmpfs, its errors would say so), but not the margin
    // that keeps a file system that fails mapped memory (ext4 with small blocks: SIGBUS) from killing the process.
    disk.fillLeaving(160 * 1024);
    let err: Failure | undefined;
    try {
      await openSqliteRegistry({ path: file }).close();
    } catch (e) {
      err = e as Failure;
    }
    expect(err?.exitCode, String(err?.message)).toBe(3);
    expect(err?.message).toMatch(new RegExp(`^the disk holding the registry at ${file} is nearly full: 1[0-9]{2} KB free$`));
    expect(err?.why).toMatch(/-shm.*Nothing was written\.$/);
    expect(err?.hint).toMatch(/^free space on that disk/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(disk.dir).filter((f) => f.startsWith('registry.db'))).toEqual(['registry.db']);
    const reader = openSqliteRegistry({ path: file, readonly: true });
    try {
      expect((await reader.getVersion('p', '1.0.0'))?.contentHash).toBe('h1');
    } finally {
      await reader.close();
    }
    disk.unfill();
    for (const f of readdirSync(disk.dir)) if (f.startsWith('registry.db')) rmSync(path.join(disk.dir, f));
  });
});

describe.skipIf(!canMountSmallDisk)('a registry on a file system that reports no size (skipped unless root: it mounts a tmpfs)', () => {
  // statfs gives 0 blocks, 0 free for a tmpfs mounted with size=0 (no limit), as for some network
  // and FUSE file systems: no room to judge, so no refusal; "0 KB free" refused every write there.
  it('a writer records there', async () => {
    const unsized = mountSmallDisk(0);
    try {
      expect(await openAndClose(path.join(unsized.dir, 'registry.db'))).toBeUndefined();
    } finally {
      unsized.unmount();
    }
  });
});
