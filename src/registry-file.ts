import { statSync } from 'node:fs';
import { UnavailableError, isPromptctlError } from './core/errors.js';
import { pauseUnlessStopped } from './infra/pause.js';
import { busyUnavailable, DEFAULT_BUSY_RETRY, isBusyError, nextPause } from './infra/registry/sqlite-busy.js';
import { BUSY_TIMEOUT_MS } from './infra/registry/sqlite-open.js';
import type { Registry } from './infra/registry/types.js';

/**
 * A long-running reader of a registry file follows the path, not the file it first opened: a
 * registry replaced by rename (rsync, cp + mv, a Kubernetes ConfigMap update) is a new inode, and
 * a connection kept open would read the old one for ever, never stale. Each read compares the
 * path's device and inode (one stat) with the open file's and reopens when they differ. When the
 * path cannot be read or reopened, the read fails as unavailable (exit 3), so the reader serves its
 * last good value marked stale and tries again on a later call.
 *
 * A file another program holds locked (exclusive locking mode, a recovery) is waited for on timers,
 * up to the 10 s a command waits: the connections are opened with no busy wait of SQLite's own, which
 * would block the application's event loop (its requests, its timers) for the whole wait.
 */

interface Opened {
  registry: Registry;
  dev: number;
  ino: number;
}

export class FollowedRegistryFile {
  /** Undefined until a first open that met a locked file succeeds (on a read). */
  private opened: Opened | undefined;
  private closed = false;

  constructor(
    private readonly path: string,
    private readonly open: (path: string) => Registry,
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
        return await read(this.current());
      } catch (err) {
        if (!heldLocked(err)) throw err;
        const left = started + BUSY_TIMEOUT_MS - performance.now();
        // A reader closed meanwhile opens nothing again.
        if (left <= 0 || this.closed) throw isPromptctlError(err) ? err : busyUnavailable({ path: this.path, doing: 'reading it' }, err);
        await pauseUnlessStopped(nextPause(tries, left, DEFAULT_BUSY_RETRY));
      }
    }
  }

  /** The registry at the path now, reopened when the path names another file than the one open. */
  private current(): Registry {
    // A read that waited for a locked file while the reader was closed opens nothing: a connection
    // opened after close would never be closed.
    if (this.closed) throw new UnavailableError({ message: `the registry reader of ${this.path} is closed`, why: 'close() was called (a read that waited for a locked file meanwhile ends here)', hint: 'read before closing the reader, or open a new one.' });
    if (!this.opened) {
      this.opened = this.openNow();
      return this.opened.registry;
    }
    let now: { dev: number; ino: number };
    try {
      now = identity(statSync(this.path));
    } catch (err) {
      throw this.unavailable(`cannot read ${this.path}: ${(err as Error).message}`, 'the registry file was removed or is being replaced', err);
    }
    if (now.dev === this.opened.dev && now.ino === this.opened.ino) return this.opened.registry;
    let registry: Registry;
    try {
      registry = this.open(this.path);
    } catch (err) {
      const why = isPromptctlError(err) ? `${err.message}${err.why ? `: ${err.why}` : ''}` : (err as Error).message;
      throw this.unavailable(`cannot reopen the registry at ${this.path}, which was replaced`, why, err);
    }
    const old = this.opened.registry;
    this.opened = { registry, ...now };
    // Calls still running on the old file finish first: close takes its turn on the connection.
    void old.close().catch(() => {});
    return registry;
  }

  close(): Promise<void> {
    this.closed = true;
    return this.opened?.registry.close() ?? Promise.resolve();
  }

  private openNow(): Opened {
    const registry = this.open(this.path);
    try {
      return { registry, ...identity(statSync(this.path)) };
    } catch (err) {
      void registry.close().catch(() => {});
      throw this.unavailable(`cannot read ${this.path}: ${(err as Error).message}`, 'the registry file was removed or is being replaced', err);
    }
  }

  private unavailable(message: string, why: string, cause: unknown): UnavailableError {
    return new UnavailableError({ message, why, hint: `check what replaced ${this.path}: it must be a complete promptctl registry file (copy it under another name, then rename it into place)`, cause });
  }
}

function identity(st: { dev: number; ino: number }): { dev: number; ino: number } {
  return { dev: st.dev, ino: st.ino };
}

/** Whether `err` comes from another process holding the file locked (SQLite's busy codes, through any wrapping). */
function heldLocked(err: unknown): boolean {
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isBusyError(e)) return true;
  }
  return false;
}
