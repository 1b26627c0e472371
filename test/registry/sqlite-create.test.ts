import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRegistryFile } from '../../src/infra/registry/sqlite-create.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import { makeTempDir } from './harness.js';

/**
 * Report h46 #2: a registry creation killed midway (SIGKILL while it migrated the new file under its
 * temporary name) left `registry.db.new-<pid>-<rand>` and its `-journal` beside the registry, and
 * the next command created the registry without removing them. A creation now removes what a
 * creator whose process is gone left, and never a live creator's files.
 */

/** Above PID_MAX_LIMIT (2^22 on 64-bit Linux): no process can have it, so it is gone for sure. */
const GONE = 2 ** 22 + 1;
/** The process that runs this test's worker: alive while the test runs. */
const LIVE = process.ppid;

let tmp: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => tmp?.cleanup());

describe('creating the SQLite registry beside what another creation left', () => {
  it.each([
    { left: `registry.db.new-${GONE}-k3x9q2ab`, removed: true },
    { left: `registry.db.new-${GONE}-k3x9q2ab-journal`, removed: true },
    { left: `registry.db.new-${GONE}-k3x9q2ab-wal`, removed: true },
    { left: `registry.db.new-${GONE}-k3x9q2ab-shm`, removed: true },
    { left: `registry.db.new-${LIVE}-k3x9q2ab`, removed: false },
    { left: `registry.db.new-${LIVE}-k3x9q2ab-journal`, removed: false },
    { left: `registry.db.new-notes.txt`, removed: false },
    { left: `other.db.new-${GONE}-k3x9q2ab`, removed: false },
  ])('$left: removed $removed', async ({ left, removed }) => {
    tmp = makeTempDir();
    writeFileSync(join(tmp.dir, left), 'half made');
    const reg = openSqliteRegistry({ path: join(tmp.dir, 'registry.db') });
    await reg.close();
    const names = readdirSync(tmp.dir);
    expect(names).toContain('registry.db');
    expect(names.includes(left)).toBe(!removed);
    expect(names.filter((n) => n.startsWith('registry.db.new-') && n !== left)).toEqual([]);
  });
});

/**
 * Report h46 #3: several commands starting at once on a project without a registry each said
 * "created a new registry … (there was none)", though only one created it: each had seen no file
 * before opening. Only the creator whose file was put in place says it; one whose link found the
 * file there (another process linked first) uses that registry and says nothing.
 */
describe('which creator created the registry', () => {
  it('the first creation puts its file in place; a creator finding a file there at its link did not', () => {
    tmp = makeTempDir();
    const path = join(tmp.dir, 'registry.db');
    expect(createRegistryFile(path)).toBe(true);
    expect(createRegistryFile(path)).toBe(false);
    expect(readdirSync(tmp.dir)).toEqual(['registry.db']);
  });

  it('an open is told it created the file only when it did', async () => {
    tmp = makeTempDir();
    const path = join(tmp.dir, 'registry.db');
    const told: string[] = [];
    for (const who of ['first', 'second']) await openSqliteRegistry({ path, onCreated: () => told.push(who) }).close();
    expect(told).toEqual(['first']);
  });
});
