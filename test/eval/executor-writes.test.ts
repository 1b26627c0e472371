import { beforeAll, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../src/infra/clock.js';
import { runSession } from '../../src/infra/eval/session.js';
import { requireSuites, selectVersions } from '../../src/infra/eval/targets.js';
import { clientFromConfig } from '../../src/infra/model/from-config.js';
import { loadProject } from '../../src/infra/project.js';
import { openProjectRegistry } from '../../src/infra/project-registry.js';
import { generatedGoldenSuite, makeSimProject, writeProjectFile } from '../support/project.js';
import { simulatorForFile } from '../support/simulator.js';

/**
 * The executor writes results at least once a second, not only every 32 answers: with a slow
 * server a SIGKILL must not lose minutes of answers. Time here is a clock that moves 400 ms every
 * time it is read, so the outcome never depends on how fast the machine is.
 */

const sim = simulatorForFile();
let dir: string;

beforeAll(async () => {
  dir = makeSimProject(sim.url, { concurrency: 1 });
  writeProjectFile(dir, 'evalsets/support-answer/slow.yaml', generatedGoldenSuite({ count: 12, versions: '1.1.0' }));
});

function tickingClock(stepMs: number): Clock {
  let t = 0;
  return { date: () => new Date(0), now: () => (t += stepMs), after: () => () => {} };
}

describe('executor writes', () => {
  it('writes pending answers once a second has passed since the last write, long before a batch is full', async () => {
    const project = loadProject(dir);
    const registry = openProjectRegistry(project, { env: {}, clock: systemClock });
    const batches: number[] = [];
    const record = registry.recordSamples.bind(registry);
    registry.recordSamples = (samples, cacheRows) => {
      batches.push(samples.length);
      return record(samples, cacheRows);
    };
    try {
      // The file is there: no registry lookup is needed.
      const versions = await selectVersions(project, ['support-answer@1.1.0'], async () => undefined);
      const { client } = clientFromConfig(project.config, {});
      const result = await runSession({
        project,
        registry,
        client,
        targets: requireSuites(project, versions, { only: ['slow'], optionNames: 'keys' }),
        concurrency: 1,
        useCache: false,
        resume: false,
        server: sim.url,
        promptctlVersion: 'test',
        onProgress: () => {},
        clock: tickingClock(400),
      });
      expect(result.outcomes[0]!.run.summary!.samples).toBe(12);
      // Each answer reads the clock once, 400 ms apart: every third answer is a second after the last write.
      expect(batches).toEqual([3, 3, 3, 3]);
    } finally {
      await registry.close();
    }
  });
});
