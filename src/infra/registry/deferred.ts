import { REGISTRY_CALLS } from './registry-calls.js';
import type { Registry, RegistryCall, TransactionOptions } from './types.js';

interface DeferredRegistry extends Pick<Registry, RegistryCall> {}

/**
 * A registry whose implementation is loaded on its first call: the PostgreSQL backend's code
 * (about 60 KB of queries and migrations) is not compiled by commands on a SQLite registry, which
 * open a registry through the same function. It connects on first use anyway, so deferring the
 * load changes no behaviour: every call, and a transaction, waits for it, and a failure to load
 * is that call's failure.
 */
class DeferredRegistry implements Registry {
  private loaded?: Promise<Registry>;

  constructor(
    readonly path: string,
    private readonly load: () => Promise<Registry>,
  ) {
    const calls: Record<string, (...args: unknown[]) => Promise<unknown>> = {};
    for (const name of REGISTRY_CALLS) calls[name] = async (...args) => ((await this.registry())[name] as (...a: unknown[]) => Promise<unknown>)(...args);
    Object.assign(this, calls);
  }

  private registry(): Promise<Registry> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  async transaction<T>(fn: (tx: Registry) => Promise<T>, opts?: TransactionOptions): Promise<T> {
    return (await this.registry()).transaction(fn, opts);
  }

  async readSnapshot<T>(fn: (snapshot: Registry) => Promise<T>): Promise<T> {
    return (await this.registry()).readSnapshot(fn);
  }

  async close(): Promise<void> {
    // Never used, or never loaded: nothing is open, so nothing is closed (a failed load was the failure of the calls).
    const loaded = await this.loaded?.catch(() => undefined);
    await loaded?.close();
  }
}

export function deferredRegistry(path: string, load: () => Promise<Registry>): Registry {
  return new DeferredRegistry(path, load);
}
