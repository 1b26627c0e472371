import { describe, expect, it } from 'vitest';
import type { RunRecord, RunSummary } from '../../src/core/schemas/run.js';
import type { ServedAs } from '../../src/core/served-weights.js';
import { currentRoot, currentRoots, currentServed, currentServedOf } from '../../src/infra/eval/served-roots.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import type { Registry } from '../../src/infra/registry/types.js';

/**
 * What a model name serves now is read from the newest runs on it (Registry.newestRuns), widened
 * until the run that decides is in the window, and always agrees with the rule over every run
 * (currentServedOf): a year of CI runs made each answer read the whole runs table, once per version.
 */

const summary = (served?: ServedAs): RunSummary => ({
  cases: 1, passed: 1, failed: 0, errored: 0, notRun: 0, samples: 1, passRate: 1, verdict: 'passed',
  latencyP50: 1, latencyP95: 1, latencyP99: 1, tokensIn: 1, tokensOut: 1, piiLeaks: 0, ...(served ? { served } : {}),
});

/** A registry whose runs are `runs` in order: [model, served-as or undefined for a cached run]. */
async function registryOf(runs: Array<[string, ServedAs | undefined]>): Promise<Registry> {
  const reg = openSqliteRegistry({ path: ':memory:' });
  for (const [i, [model, served]] of runs.entries()) {
    const id = `r${i}`;
    const startedAt = new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString();
    const run: Omit<RunRecord, 'status' | 'endedAt' | 'summary'> = { id, invocationId: 'inv', inputsKey: id, promptId: 'p', version: '1.0.0', promptHash: 'ph', suite: 's', suiteKind: 'golden', suiteHash: 'sh', model, server: 'http://x/v1', promptctlVersion: '0.1.0', startedAt };
    await reg.createRun(run);
    await reg.finishRun(id, 'finished', summary(served), startedAt);
  }
  return reg;
}

const cachedRuns = (model: string, n: number): Array<[string, undefined]> => Array.from({ length: n }, () => [model, undefined]);

describe('what a model name serves now', () => {
  it.each<[string, Array<[string, ServedAs | undefined]>, string]>([
    ['the newest run on the name that recorded a root', [['llama', { root: 'org/llama-v1' }], ['qwen', { root: 'org/qwen' }], ['llama', { root: 'org/llama-v2' }]], 'llama'],
    ['past 300 newer cached runs, which recorded none (the window widens)', [['llama', { root: 'org/llama-v1' }], ...cachedRuns('llama', 300)], 'llama'],
    ['no run recorded a root', cachedRuns('llama', 40), 'llama'],
    ['no run on the name at all', [['qwen', { root: 'org/qwen' }]], 'llama'],
    ["an adapter, its base upgraded by a later run on the base's own name", [['lora', { root: 'adapters/a', parent: 'base', parentRoot: 'org/base-v1' }], ['base', { root: 'org/base-v2' }]], 'lora'],
    ["an adapter, the base's run older than the adapter's", [['base', { root: 'org/base-v2' }], ['lora', { root: 'adapters/a', parent: 'base', parentRoot: 'org/base-v1' }]], 'lora'],
    ['an adapter behind 100 cached runs on it, its base upgraded among them', [['lora', { root: 'adapters/a', parent: 'base', parentRoot: 'org/base-v1' }], ...cachedRuns('lora', 50), ['base', { root: 'org/base-v3' }], ...cachedRuns('lora', 50)], 'lora'],
  ])('%s: as the rule over every run says', async (_what, runs, model) => {
    const reg = await registryOf(runs);
    try {
      const everyRun = currentServedOf(await reg.listRuns({}), model);
      expect(await currentServed(reg, model)).toEqual(everyRun);
      expect(await currentRoot(reg, model)).toBe(everyRun === undefined || everyRun.root === undefined ? undefined : everyRun.parentRoot ? `${everyRun.root} on ${everyRun.parentRoot}` : everyRun.root);
    } finally {
      await reg.close();
    }
  });

  it('reads only the newest runs on the name, and asks once per model for many marks', async () => {
    const reg = await registryOf([['llama', { root: 'org/llama-v1' }], ...cachedRuns('qwen', 100), ['llama', { root: 'org/llama-v2' }]]);
    const asked: Array<[readonly string[] | undefined, number]> = [];
    const counting: Pick<Registry, 'newestRuns'> = { newestRuns: (models, limit) => (asked.push([models, limit]), reg.newestRuns(models, limit)) };
    try {
      const rootNow = currentRoots(counting);
      expect(await Promise.all([rootNow('llama'), rootNow('llama'), rootNow('llama')])).toEqual(['org/llama-v2', 'org/llama-v2', 'org/llama-v2']);
      expect(asked).toEqual([[['llama'], 32]]);
    } finally {
      await reg.close();
    }
  });
});
