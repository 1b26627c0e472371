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
