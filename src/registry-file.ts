import { UnavailableError, isPromptctlError } from './core/errors.js';
import { pauseUnlessStopped } from './infra/pause.js';
import { busyUnavailable, DEFAULT_BUSY_RETRY, isBusyError, nextPause } from './infra/registry/sqlite-busy.js';
import { BUSY_TIMEOUT_MS } from './infra/registry/sqlite-open.js';
import { racyState, sameFile, sameState, snapshotState, type SnapshotState } from './infra/registry/snapshot-state.js';
import type { Registry } from './infra/registry/types.js';

/**
 * A long-running reader of a registry file follows the path, not the file it first opened: a
 * registry replaced by rename (rsync, cp + mv, a Kubernetes ConfigMap update) is a new inode, and
 * a connection kept open would read the old one for ever, never stale. A registry copied over the
 * file in place (`cp`, a rollback to an earlier copy) is the same inode, and SQLite keeps its page
 * cache while its `-shm` says the log did not change, so the connection would serve the old
 * content as current just the same. Each read compares the path's device, inode, size and times
 * (snapshot-state.ts) with the open file's and reopens when they differ (a checkpoint of the log
 * into the file reopens it too, which is harmless). When the path cannot be read or reopened, the
 * read fails as unavailable (exit 3), so the reader serves its last good value marked stale and
 * tries again on a later call. A `-wal` with content beside the path is read by SQLite onto
 * whatever file is there (it keeps no link between them), so a file is put there only while no
 * promptctl command writes the path (README, "When the registry fails").
 *
 * On a read-only medium the file is read as a snapshot (sqlite-driver.ts openSnapshot), which sees
 * the file as it was when opened. A read-only bind mount still has a writer (the release manager
 * deploying on the host, in place), so there each read also compares the file's size and times
 * (snapshot-state.ts) and reopens when they changed; while `-wal` beside it holds changes the
 * snapshot cannot see, or when the file changed during the read, the read fails as unavailable:
 * the last good value is served marked stale, never an old or torn one as if current.
 *
 * A file another program holds locked (exclusive locking mode, a recovery) is waited for on timers,
 * up to the 10 s a command waits: the connections are opened with no busy wait of SQLite's own, which
 * would block the application's event loop (its requests, its timers) for the whole wait.
 */

/**
 * The open file, as it was just before it was opened, and whether that proves nothing about later
 * writes (written within the times' granularity of then); `snapshot`: read alone, log included in its state.
 */
interface Opened {
  registry: Registry;
  state: SnapshotState;
  racy: boolean;
  snapshot: boolean;
}

/** The registry a read uses, and the file's state the read must still find after it. */
interface Current {
  registry: Registry;
  before: SnapshotState;
}

export class FollowedRegistryFile {
  /** Undefined until a first open that met a locked file succeeds (on a read). */
  private opened: Opened | undefined;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly open: (path: string) => Registry & { readonly readsSnapshot?: boolean },
  ) {
    // The first open's errors are the caller's to see at once (openRegistry throws them); a file
    // held locked is opened by the first read instead, which waits for it without blocking.
    try {
      this.opened = this.openNow();
    } catch (err) {
      if (!heldLocked(err)) throw err;
    }
  }

  /**
   * `read` on the registry at the path now. While another process holds the file locked, tries
   * again after a pause on a timer (the event loop runs meanwhile), for up to BUSY_TIMEOUT_MS; then
   * the "stayed locked" error (exit 3), so the reader serves its last good value stale.
   */
  async read<T>(read: (registry: Registry) => Promise<T>): Promise<T> {
    const started = performance.now();
    for (let tries = 0; ; tries++) {
      try {
        const { registry, before } = this.current();
        const value = await read(registry);
        this.requireUnchanged(before);
        return value;
      } catch (err) {
        if (!heldLocked(err)) throw err;
        const left = started + BUSY_TIMEOUT_MS - performance.now();
        // A reader closed meanwhile opens nothing again.
        if (left <= 0 || this.closed) throw isPromptctlError(err) ? err : busyUnavailable({ path: this.path, doing: 'reading it' }, err);
        await pauseUnlessStopped(nextPause(tries, left, DEFAULT_BUSY_RETRY));
      }
    }
  }

  /** The registry at the path now, reopened when the path names another file than the one open, or the file changed. */
  private current(): Current {
    // A read that waited for a locked file while the reader was closed opens nothing: a connection
    // opened after close would never be closed.
    if (this.closed) throw new UnavailableError({ message: `the registry reader of ${this.path} is closed`, why: 'close() was called (a read that waited for a locked file meanwhile ends here)', hint: 'read before closing the reader, or open a new one.' });
    if (!this.opened) {
      this.opened = this.openNow();
      return this.reading();
    }
    const opened = this.opened;
    const before = this.stateNow();
    if (opened.snapshot && before.walSize > 0n) throw this.beingWritten();
    if (unchanged(opened.snapshot, opened.state, before) && !opened.racy) return { registry: opened.registry, before };
    const replaced = before.dev !== opened.state.dev || before.ino !== opened.state.ino;
    this.reopen(`cannot reopen the registry at ${this.path}, which ${replaced ? 'was replaced' : 'changed'}`);
    return this.reading();
  }

  /** What a read uses once `opened` is the file at the path now. */
  private reading(): Current {
    return { registry: this.opened!.registry, before: this.opened!.state };
  }

  private reopen(message: string): void {
    let opened: Opened;
    try {
      opened = this.openNow();
    } catch (err) {
      const why = isPromptctlError(err) ? `${err.message}${err.why ? `: ${err.why}` : ''}` : (err as Error).message;
      throw this.unavailable(message, why, err);
    }
    const old = this.opened!.registry;
    this.opened = opened;
    // Calls still running on the old file finish first: close takes its turn on the connection.
    void old.close().catch(() => {});
  }

  /** After a read: a file written meanwhile outside the connection may have been read half old, half new. */
  private requireUnchanged(before: SnapshotState): void {
    const snapshot = this.opened!.snapshot;
    if (unchanged(snapshot, before, this.stateNow())) return;
    throw new UnavailableError({
      message: `the registry at ${this.path} changed while it was read`,
      why: snapshot
        ? 'its folder is on a read-only medium, so it is read as a snapshot, and a writer elsewhere (a read-only mount of a folder written on the host) changed the file in place during the read: what was read may mix its old and new content'
        : 'the file was written during the read (a copy over it in place, or a checkpoint of its log): what was read may mix its old and new content',
      hint: 'nothing to do: the next call reads the file again',
    });
  }

  private beingWritten(): UnavailableError {
    return new UnavailableError({
      message: `the registry at ${this.path} is being written: its write-ahead log (${this.path}-wal) holds changes not yet in the file`,
      why: 'its folder is on a read-only medium, so it is read as a snapshot of the file alone, which cannot see changes still in the log (SQLite reads a log through a -shm file it cannot create there)',
      hint: 'the writer moves the log into the file when it closes (a promptctl command does as it ends); the next call reads the file again. A writer that stays open: run `PRAGMA wal_checkpoint(TRUNCATE)` in it',
    });
  }

  private stateNow(): SnapshotState {
    try {
      return snapshotState(this.path);
    } catch (err) {
      throw this.gone(err);
    }
  }

  close(): Promise<void> {
    this.closed = true;
    return this.opened?.registry.close() ?? Promise.resolve();
  }

  private openNow(): Opened {
    // The state before opening: a write during the open shows as a change at the first read.
    const before = stateIfThere(this.path);
    const registry = this.open(this.path);
    if (before) return { registry, state: before, racy: racyState(before, Date.now()), snapshot: registry.readsSnapshot === true };
    void registry.close().catch(() => {});
    throw this.gone();
  }

  /** The file at the path could not be read (`err`: what the system said, when it said something). */
  private gone(err?: unknown): UnavailableError {
    return this.unavailable(`cannot read ${this.path}${err ? `: ${(err as Error).message}` : ''}`, 'the registry file was removed or is being replaced', err);
  }

  private unavailable(message: string, why: string, cause: unknown): UnavailableError {
    return new UnavailableError({ message, why, hint: `check what replaced ${this.path}: it must be a complete promptctl registry file (copy it under another name, then rename it into place)`, cause });
  }
}

function stateIfThere(path: string): SnapshotState | undefined {
  try {
    return snapshotState(path);
  } catch {
    return undefined;
  }
}

/**
 * Whether the file at the path is still the one `opened` read. A snapshot compares its log too
 * (it cannot see one); a shared connection leaves the log to SQLite, which follows it.
 */
function unchanged(snapshot: boolean, then: SnapshotState, now: SnapshotState): boolean {
  return snapshot ? sameState(now, then) : sameFile(now, then);
}

/** Whether `err` comes from another process holding the file locked (SQLite's busy codes, through any wrapping). */
function heldLocked(err: unknown): boolean {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isBusyError(e)) return true;
  }
  return false;
}
