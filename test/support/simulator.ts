import { afterAll, beforeAll } from 'vitest';
import { startSimulator, type SimOptions, type Simulator } from '../../src/sim/server.js';
import { cleanupTempDirs } from './project.js';

/** The actor in-process eval tests run as. */
export const SCRIPT_ENV = { PROMPTCTL_ACTOR: 'script@example.com' };

/**
 * Simulators for the calling test file, one per options object, started before its tests and
 * closed (with the file's temp projects) after them. `sims[i]` is live once the tests run.
 */
export function simulatorsForFile(...options: SimOptions[]): Simulator[] {
  const sims: Simulator[] = [];
  beforeAll(async () => {
    sims.push(...(await Promise.all((options.length ? options : [{}]).map((o) => startSimulator({ port: 0, ...o })))));
  });
  afterAll(async () => {
    await Promise.all(sims.map((s) => s.close()));
    cleanupTempDirs();
  });
  return sims;
}

/**
 * One simulator for the calling test file, as `simulatorsForFile` starts and closes it, used as a
 * plain value: `const sim = simulatorForFile()` then `sim.url` inside tests and hooks. Touching it
 * before the file's tests start (at module load) throws, instead of reading an unstarted server.
 */
export function simulatorForFile(options: SimOptions = {}): Simulator {
  const sims = simulatorsForFile(options);
  return new Proxy({} as Simulator, {
    get(_, key) {
      const sim = sims[0];
      if (!sim) throw new Error('the test simulator starts before the tests: use it inside a test or a hook, not at module load');
      const value = Reflect.get(sim, key, sim) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(sim) : value;
    },
  });
}
