import { afterEach } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sim/server.js';

type SimOptions = NonNullable<Parameters<typeof startSimulator>[0]>;

/**
 * One simulator a test file starts again with other weights behind its names, as an operator
 * restarts vLLM on new weights; closed after each test.
 */
export function restartableSimulator(options: (root?: string) => SimOptions) {
  let sim: Simulator | undefined;
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });
  return {
    /** (Re)starts the simulator serving `root`, on a new port. */
    async serve(root?: string): Promise<Simulator> {
      await sim?.close();
      sim = await startSimulator(options(root));
      return sim;
    },
    /** The running simulator (a test that called `serve`). */
    get running(): Simulator {
      if (!sim) throw new Error('no simulator is running: call serve() first');
      return sim;
    },
    /** The server goes away: what a cached re-run must do without. */
    async stop(): Promise<void> {
      await sim?.close();
      sim = undefined;
    },
  };
}
