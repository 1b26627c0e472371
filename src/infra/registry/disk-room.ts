import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { errorCode } from '../../core/errors.js';

/**
 * How much room the disk holding the registry has left. SQLite needs room beside the file before it
 * writes anything: its shared-memory file (`-shm`, 32 KiB for up to 4,096 log frames) and its
 * write-ahead log (`-wal`, 4 KiB and a little per page written).
 */

/**
 * Below this, a registry's disk counts as (nearly) full: 256 KiB, room for the -shm's 32 KiB, a new
 * registry's file (about 112 KiB) with its journal, and the log pages of a deploy or of an eval's
 * first batches. On an 8 MiB ext4 disk (1 KiB blocks), a deploy died of SIGBUS with about 53 KiB
 * usable and finished with 58 KiB.
 */
export const LOW_ROOM_BYTES = 256 * 1024;

/** ext2/3/4's magic number in statfs(2). */
const EXT_MAGIC = 0xef53;

/**
 * Bytes a file may still take on the file system holding `path` (its nearest existing folder), as
 * this process may use them; undefined when the system does not say. root may also use the blocks
 * kept for it, except, on ext4, the pool kept for metadata (2% of the blocks, at most 4,096), which
 * statfs(2) counts as free but a file's data never gets.
 */
export function freeBytes(path: string): number | undefined {
  let dir = dirname(resolve(path));
  for (;;) {
    try {
      const s = statfsSync(dir);
      if (process.getuid?.() !== 0) return s.bavail * s.bsize;
      const reserve = s.type === EXT_MAGIC ? Math.min(Math.floor(s.blocks / 50), 4096) : 0;
      return Math.max(0, s.bfree - reserve) * s.bsize;
    } catch (err) {
      const parent = dirname(dir);
      if (errorCode(err) !== 'ENOENT' || parent === dir) return undefined;
      dir = parent;
    }
  }
}

/** "12 KB": free bytes as a person reads them. */
export function kilobytes(bytes: number): string {
  return `${Math.floor(bytes / 1024)} KB`;
}
