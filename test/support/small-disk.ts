import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync, statfsSync, writeSync } from 'node:fs';
import path from 'node:path';
import { makeTempDir } from './project.js';

/**
 * A small file system of a test's own, to fill up: a tmpfs mounted on a temp folder. A full disk
 * shows what no in-process cap can (SQLite's max_page_count caps one connection's file, never its
 * -wal, -shm or journal, nor a close's checkpoint). Mounting needs root, as this suite runs on its
 * machines and in CI; a developer's `npm test` as another user skips these tests (their titles say
 * so) rather than failing a clean checkout.
 */
export interface SmallDisk {
  /** The mounted folder. */
  dir: string;
  /** Bytes a file may still take there. */
  freeBytes(): number;
  /** Fills the disk with a file of zeros until `bytes` (rounded to its blocks) are left. */
  fillLeaving(bytes: number): void;
  /** Removes the fill. */
  unfill(): void;
  unmount(): void;
}

/** Whether this process may mount one (root). */
export const canMountSmallDisk = process.getuid?.() === 0;

export function mountSmallDisk(sizeKiB: number): SmallDisk {
  if (!canMountSmallDisk) throw new Error('this test mounts a small tmpfs to fill it up, which needs root: run it as root (as the suite runs in CI)');
  const dir = path.join(makeTempDir(), 'disk');
  mkdirSync(dir);
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mount.status !== 0) throw new Error(`this test mounts a small tmpfs, and mount failed: ${mount.stderr || mount.error?.message}`);
  const fill = path.join(dir, 'fill');
  const freeBytes = (): number => {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  };
  return {
    dir,
    freeBytes,
    fillLeaving(bytes) {
      rmSync(fill, { force: true });
      const fd = openSync(fill, 'w');
      try {
        const chunk = Buffer.alloc(64 * 1024);
        let left = freeBytes() - bytes;
        while (left > 0) left -= writeSync(fd, chunk, 0, Math.min(chunk.length, left));
      } finally {
        closeSync(fd);
      }
    },
    unfill: () => rmSync(fill, { force: true }),
    unmount() {
      const r = spawnSync('umount', [dir], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`umount ${dir} failed: ${r.stderr}`);
    },
  };
}
