import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { errorCode, UnavailableError } from '../../core/errors.js';

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
      // A file system that reports no size (tmpfs with size=0, some network and FUSE ones) says nothing of its room.
      if (s.blocks === 0) return undefined;
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

/** The hint for a registry whose disk is full or nearly full. */
export const FREE_SPACE_HINT = 'free space on that disk (or point registry.path in .promptrc.yaml at another one), then run the command again; an interrupted eval continues with --resume.';

/**
 * Refuses to open the registry at `path` for writing when its disk has less than LOW_ROOM_BYTES
 * free. Not for the words alone: SQLite makes its -shm anew with one-byte writes that succeed and
 * then maps it into memory, and where a file system finds no block for a page of it on first touch
 * (ext4 with blocks smaller than a memory page) the kernel ends the process with SIGBUS, which Node
 * cannot catch: no message, exit 135, sometimes after the change was committed. Writing the -shm's
 * blocks first cannot help: the first connection truncates it. Checked once per open; a disk that
 * another process fills meanwhile still meets SQLite's own errors (sqlite-faults.ts).
 */
export function requireRoom(path: string): void {
  const free = freeBytes(path);
  if (free === undefined || free >= LOW_ROOM_BYTES) return;
  throw new UnavailableError({
    message: `the disk holding the registry at ${path} is nearly full: ${kilobytes(free)} free`,
    why: `SQLite needs room beside the registry before it writes (its shared-memory file ${path}-shm and its write-ahead log), and with less than ${kilobytes(LOW_ROOM_BYTES)} free a file system may fail that shared memory where no error can be reported (the process is killed, possibly after its change was recorded). Nothing was written.`,
    hint: FREE_SPACE_HINT,
  });
}

/** "12 KB": free bytes as a person reads them. */
export function kilobytes(bytes: number): string {
  return `${Math.floor(bytes / 1024)} KB`;
}
