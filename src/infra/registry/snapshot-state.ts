import { statSync } from 'node:fs';

/**
 * What a `{ path }` reader (registry-file.ts) checks before and after every read. Its file may be
 * written outside SQLite, in place (same inode): a release or a rollback copied over it with `cp`,
 * which a connection's page cache never sees. So the reader is reopened when the file's size or
 * times changed. On a read-only medium the file is read as a snapshot (sqlite-driver.ts
 * openSnapshot, the file alone), which a writer may still change (a read-only bind mount of a
 * folder the release manager deploys into on the host), keeping committed changes in
 * `<file>-wal`, which a snapshot cannot read: a snapshot is not read at all while the log holds
 * changes.
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
  return sameFile(a, b) && a.walSize === b.walSize;
}

/**
 * The file itself is as it was (identity, size, times), whatever its `-wal` holds: what a reader
 * sharing the log with its writers through `-shm` compares, since SQLite follows the log itself but
 * not a write made to the file outside it (a `cp` over it keeps the connection's page cache).
 */
export function sameFile(a: SnapshotState, b: SnapshotState): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
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
