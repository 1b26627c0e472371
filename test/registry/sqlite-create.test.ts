import { readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
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
 *
 * Review of that fix: the temporary name carried a pid only, so on a project folder shared between
 * hosts or containers (NFS, a bind mount) another host's live creator, whose pid is gone here, lost
 * its temporary file and -journal and its link failed. The name now carries `<pid>@<host>`
 * (URI-encoded), and only this host's names whose process is gone are removed.
 */

/** Above PID_MAX_LIMIT (2^22 on 64-bit Linux): no process can have it, so it is gone for sure. */
const GONE = 2 ** 22 + 1;
/** The process that runs this test's worker: alive while the test runs. */
const LIVE = process.ppid;
/** A temporary name as a creation of `pid` on `host` makes it. */
const made = (pid: number, host = hostname()) => `registry.db.new-${encodeURIComponent(`${pid}@${host}`)}-0a1b2c3d`;
const OTHER = `not-${hostname()}.example`;

let tmp: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => tmp?.cleanup());

describe('creating the SQLite registry beside what another creation left', () => {
  it.each([
    { left: made(GONE), removed: true },
    { left: `${made(GONE)}-journal`, removed: true },
    { left: `${made(GONE)}-wal`, removed: true },
    { left: `${made(GONE)}-shm`, removed: true },
    { left: made(LIVE), removed: false },
    { left: `${made(LIVE)}-journal`, removed: false },
    // Another host's creator: its pid says nothing here, gone or alive.
    { left: made(GONE, OTHER), removed: false },
    { left: `${made(GONE, OTHER)}-journal`, removed: false },
    { left: made(LIVE, OTHER), removed: false },
    { left: `${made(LIVE, OTHER)}-journal`, removed: false },
    // A name without a host (the form before), or not encoded: whose it is cannot be told.
    { left: `registry.db.new-${GONE}-k3x9q2ab`, removed: false },
    { left: `registry.db.new-${GONE}-0a1b2c3d-journal`, removed: false },
    { left: `registry.db.new-${GONE}%40%E0%A4%A-0a1b2c3d`, removed: false },
    { left: `registry.db.new-notes.txt`, removed: false },
    { left: `other.db.new-${GONE}-k3x9q2ab`, removed: false },
    { left: `other.db.new-${encodeURIComponent(`${GONE}@${hostname()}`)}-0a1b2c3d`, removed: false },
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
