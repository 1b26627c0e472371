import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { racyState, sameFile, sameState, snapshotState, type SnapshotState } from '../../src/infra/registry/snapshot-state.js';
import { makeTempDir } from './harness.js';

/**
 * What a snapshot reader compares before and after each read (registry-file.ts): the file's
 * identity, size and times, and the bytes in its -wal; and when those prove nothing about a later
 * write (the file was written within the times' granularity of when they were read).
 */

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());

const S = 1_000_000_000n;
const state = (over: Partial<SnapshotState> = {}): SnapshotState => ({ dev: 1n, ino: 2n, size: 4096n, mtimeNs: 100n * S, ctimeNs: 100n * S, walSize: 0n, ...over });

describe('snapshot state', () => {
  it.each([
    ['size', { size: 8192n }],
    ['mtime', { mtimeNs: 100n * S + 1n }],
    ['ctime', { ctimeNs: 100n * S + 1n }],
    ['-wal bytes', { walSize: 32n }],
    ['inode', { ino: 3n }],
  ])('another %s is another state', (_, over) => {
    expect(sameState(state(), state(over))).toBe(false);
    expect(sameState(state(), state())).toBe(true);
  });

  it.each([
    ['size', { size: 8192n }, false],
    ['mtime', { mtimeNs: 100n * S + 1n }, false],
    ['ctime', { ctimeNs: 100n * S + 1n }, false],
    ['inode', { ino: 3n }, false],
    ['-wal bytes', { walSize: 32n }, true],
  ])('a shared reader\'s file with another %s is the same file: %s (SQLite follows the log itself)', (_, over, same) => {
    expect(sameFile(state(), state(over))).toBe(same);
  });

  it.each([
    [100_000, true],
    [101_999, true],
    [102_001, false],
  ])('written at 100 s, read at %i ms: racy %s', (readAtMs, racy) => {
    expect(racyState(state(), readAtMs)).toBe(racy);
  });

  it('counts the -wal beside the file, 0 when there is none', () => {
    const file = join(tmp.dir, 'registry.db');
    writeFileSync(file, 'x'.repeat(10));
    expect(snapshotState(file)).toMatchObject({ size: 10n, walSize: 0n });
    writeFileSync(`${file}-wal`, 'y'.repeat(7));
    expect(snapshotState(file).walSize).toBe(7n);
  });
});
