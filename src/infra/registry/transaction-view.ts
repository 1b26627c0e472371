import { InternalError } from '../../core/errors.js';
import type { Registry, RegistryCall } from './types.js';

interface TransactionView extends Pick<Registry, RegistryCall> {}

/**
 * What `Registry.transaction` hands to `fn`, on every backend: the registry's calls bound to the
 * connection the transaction holds (taking the registry's lock again would wait for the
 * transaction itself). `bind` makes those calls, each first running `guard`, which refuses a call
 * after the transaction ended. A nested `transaction` runs inside the one already open.
 */
class TransactionView implements Registry {
  private open = true;

  constructor(
    readonly path: string,
    bind: (guard: () => void) => Pick<Registry, RegistryCall>,
  ) {
    Object.assign(
      this,
      bind(() => {
        if (!this.open) throw this.ended();
      }),
    );
  }

  async transaction<T>(fn: (tx: Registry) => Promise<T>): Promise<T> {
    if (!this.open) throw this.ended();
    return fn(this);
  }

  async readSnapshot<T>(): Promise<T> {
    // A PostgreSQL write transaction reads READ COMMITTED: each statement its own snapshot, which is what readSnapshot exists to avoid.
    throw new InternalError({ message: `a transaction on the registry at ${this.path} cannot open a read snapshot; call readSnapshot outside the transaction` });
  }

  async close(): Promise<void> {
    throw new InternalError({ message: `a transaction on the registry at ${this.path} cannot close the registry; close the registry itself` });
  }

  end(): void {
    this.open = false;
  }

  private ended(): InternalError {
    return new InternalError({ message: `a transaction on the registry at ${this.path} was used after it ended` });
  }
}

export { TransactionView };
