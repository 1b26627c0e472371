import { test as base } from 'vitest';
import { startSimulator, type Simulator } from '../../src/sim/server.js';
import { cleanupTempDirs, makeProject, makeSimProject } from './project.js';

/**
 * Shared test fixtures (`test.extend`), instead of the same beforeAll/afterAll in every file:
 * - `sim`: one in-process vLLM simulator on a free 127.0.0.1 port for the whole file, closed after it;
 * - `project`: a fresh copy of examples/quickstart for this test;
 * - `simProject`: the same, pointed at `sim`;
 * - `sharedSimProject`: one such copy for the whole file, for tests that build on each other.
 * Temp folders are removed when the file is done.
 */
export interface Fixtures {
  sim: Simulator;
  tempDirs: void;
  project: string;
  simProject: string;
  sharedSimProject: string;
}

export const test = base.extend<Fixtures>({
  sim: [
    async ({}, use) => {
      const sim = await startSimulator({ port: 0 });
      try {
        await use(sim);
      } finally {
        await sim.close();
      }
    },
    { scope: 'file' },
  ],
  tempDirs: [
    async ({}, use) => {
      await use();
      cleanupTempDirs();
    },
    { scope: 'file', auto: true },
  ],
  project: async ({}, use) => {
    await use(makeProject());
  },
  simProject: async ({ sim }, use) => {
    await use(makeSimProject(sim.url));
  },
  sharedSimProject: [
    async ({ sim }, use) => {
      await use(makeSimProject(sim.url));
    },
    { scope: 'file' },
  ],
});

export const it = test;
