import { statSync } from 'node:fs';

/**
 * What a reader of a registry snapshot (sqlite-driver.ts openSnapshot: a file on a read-only
 * medium, read alone) checks before and after every read. A read-only mount may still have a
 * writer: a read-only bind mount of a folder the release manager deploys into on the host. That
 * writer changes the file in place (same inode) and, while it works, keeps committed changes in
 * `<file>-wal`, which a snapshot cannot read. So a snapshot is reopened when the file's size or
 * times changed, and is not read at all while the log holds changes.
 */
export interface SnapshotState {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  /** Bytes in `<file>-wal`; 0 when there is none. */
  walSize: bigint;
}

/** The state of the file at `path` now (throws what stat throws when it is gone). */
export function snapshotState(path: string): SnapshotState {
  const st = statSync(path, { bigint: true });
  let walSize = 0n;
  try {
    walSize = statSync(`${path}-wal`, { bigint: true }).size;
  } catch {
    // No log beside the file: nothing the file alone misses.
  }
  return { dev: st.dev, ino: st.ino, size: st.size, mtimeNs: st.mtimeNs, ctimeNs: st.ctimeNs, walSize };
}

export function sameState(a: SnapshotState, b: SnapshotState): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.walSize === b.walSize;
}

/**
 * File times advance in steps (a kernel tick of a few ms, up to 2 s on some file systems), so a
 * write in the same step as `state` was read leaves the times as they were. A state whose file was
 * written within this margin of when it was read proves nothing about later writes: a snapshot
 * opened on it is opened again on the next read (git's "racily clean" index entries, the same way).
 */
const RACY_MARGIN_NS = 2_000_000_000n;

export function racyState(state: SnapshotState, readAtMs: number): boolean {
  const readAtNs = BigInt(Math.floor(readAtMs)) * 1_000_000n;
  return state.mtimeNs + RACY_MARGIN_NS >= readAtNs || state.ctimeNs + RACY_MARGIN_NS >= readAtNs;
}
