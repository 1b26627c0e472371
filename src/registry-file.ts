import { statSync } from 'node:fs';
import { UnavailableError, isPromptctlError } from './core/errors.js';
import type { Registry } from './infra/registry/types.js';

/**
 * A long-running reader of a registry file follows the path, not the file it first opened: a
 * registry replaced by rename (rsync, cp + mv, a Kubernetes ConfigMap update) is a new inode, and
 * a connection kept open would read the old one for ever, never stale. Each read compares the
 * path's device and inode (one stat) with the open file's and reopens when they differ. When the
 * path cannot be read or reopened, the read fails as unavailable (exit 3), so the reader serves its
 * last good value marked stale and tries again on a later call.
 */

interface Opened {
  registry: Registry;
  dev: number;
  ino: number;
}

export class FollowedRegistryFile {
  private opened: Opened;

  constructor(
    private readonly path: string,
    private readonly open: (path: string) => Registry,
  ) {
    // The first open's errors are the caller's to see at once (openRegistry throws them).
    this.opened = { registry: open(path), ...identity(statSync(path)) };
  }

  /** The registry at the path now, reopened when the path names another file than the one open. */
  current(): Registry {
    let now: { dev: number; ino: number };
    try {
      now = identity(statSync(this.path));
    } catch (err) {
      throw this.unavailable(`cannot read ${this.path}: ${(err as Error).message}`, 'the registry file was removed or is being replaced');
    }
    if (now.dev === this.opened.dev && now.ino === this.opened.ino) return this.opened.registry;
    let registry: Registry;
    try {
      registry = this.open(this.path);
    } catch (err) {
      const why = isPromptctlError(err) ? `${err.message}${err.why ? `: ${err.why}` : ''}` : (err as Error).message;
      throw this.unavailable(`cannot reopen the registry at ${this.path}, which was replaced`, why);
    }
    const old = this.opened.registry;
    this.opened = { registry, ...now };
    // Calls still running on the old file finish first: close takes its turn on the connection.
    void old.close().catch(() => {});
    return registry;
  }

  close(): Promise<void> {
    return this.opened.registry.close();
  }

  private unavailable(message: string, why: string): UnavailableError {
    return new UnavailableError({ message, why, hint: `check what replaced ${this.path}: it must be a complete promptctl registry file (copy it under another name, then rename it into place)` });
  }
}

function identity(st: { dev: number; ino: number }): { dev: number; ino: number } {
  return { dev: st.dev, ino: st.ino };
}
