import { InternalError } from '../../core/errors.js';
import { REGISTRY_CALLS, writes } from './registry-calls.js';
import type { Registry, RegistryCall } from './types.js';

interface SnapshotView extends Pick<Registry, RegistryCall> {}

/**
 * What `Registry.readSnapshot` hands to `fn`, on every backend: the registry's read calls bound to
 * the connection that holds the snapshot (`calls`). A write would leave the snapshot (SQLite would
 * upgrade the read transaction to a write one, PostgreSQL refuses it in a READ ONLY transaction)
 * and is a bug of the caller, so it is refused before it reaches the database, as is any call
 * after the snapshot ended. A nested `readSnapshot` runs in this one.
 */
class SnapshotView implements Registry {
  private open = true;

  constructor(
    readonly path: string,
    calls: Pick<Registry, RegistryCall>,
  ) {
    const guarded: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const name of REGISTRY_CALLS) {
      const call = calls[name] as (...args: unknown[]) => Promise<unknown>;
      guarded[name] = async (...args) => {
        if (!this.open) throw this.ended();
        if (writes(name)) throw this.readOnly(name);
        return call(...args);
      };
    }
    Object.assign(this, guarded);
  }

  async readSnapshot<T>(fn: (snapshot: Registry) => Promise<T>): Promise<T> {
    if (!this.open) throw this.ended();
    return fn(this);
  }

  async transaction<T>(): Promise<T> {
    throw this.readOnly('transaction');
  }

  async close(): Promise<void> {
    throw new InternalError({ message: `a read snapshot of the registry at ${this.path} cannot close the registry; close the registry itself` });
  }

  end(): void {
    this.open = false;
  }

  private readOnly(call: string): InternalError {
    return new InternalError({ message: `a read snapshot of the registry at ${this.path} cannot write (${call}): write outside readSnapshot` });
  }

  private ended(): InternalError {
    return new InternalError({ message: `a read snapshot of the registry at ${this.path} was used after it ended` });
  }
}

export { SnapshotView };
