import { describe, expect, it } from 'vitest';
import { selectRuns } from '../../src/app/report-runs.js';
import type { RunRecord, RunSummary } from '../../src/core/schemas/run.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import type { Registry } from '../../src/infra/registry/types.js';

/**
 * Which runs `report` shows, read by what names them (a run, an invocation) and the latest
 * invocation from the newest runs, widened as needed: never every run of the registry, except for
 * an id prefix. The answers are those of the rule over every run.
 */

const summary = (partial: boolean): RunSummary => ({
  cases: 1, passed: 1, failed: 0, errored: 0, notRun: 0, samples: 1, passRate: 1, verdict: 'passed',
  latencyP50: 1, latencyP95: 1, latencyP99: 1, tokensIn: 1, tokensOut: 1, piiLeaks: 0, ...(partial ? { partial: true } : {}),
});

/** Runs in order, each [invocation, partial]; `sameStart`: every run started in the same millisecond. */
async function registryOf(runs: Array<[string, boolean]>, sameStart = false): Promise<Registry> {
  const reg = openSqliteRegistry({ path: ':memory:' });
  for (const [i, [invocationId, partial]] of runs.entries()) {
    const id = `run-${String(i).padStart(4, '0')}`;
    const startedAt = new Date(Date.UTC(2025, 0, 1) + (sameStart ? 0 : i * 1000)).toISOString();
    const run: Omit<RunRecord, 'status' | 'endedAt' | 'summary'> = { id, invocationId, inputsKey: id, promptId: 'p', version: '1.0.0', promptHash: 'ph', suite: `s${i}`, suiteKind: 'golden', suiteHash: 'sh', model: 'm', server: 'http://x/v1', promptctlVersion: '0.1.0', startedAt };
    await reg.createRun(run);
    await reg.finishRun(id, 'finished', summary(partial), startedAt);
  }
  return reg;
}

const partials = (n: number, invocation = 'partial'): Array<[string, boolean]> => Array.from({ length: n }, () => [invocation, true]);
const ids = (runs: RunRecord[]) => runs.map((r) => r.id);

/** Reads of every run (listRuns with no filter) through `reg`, counted. */
let fullReads = 0;
function counting(reg: Registry): Registry {
  fullReads = 0;
  return new Proxy(reg, {
    get(target, key) {
      if (key === 'listRuns') return (filter: Parameters<Registry['listRuns']>[0]) => (Object.keys(filter).length || fullReads++, target.listRuns(filter));
      const value = Reflect.get(target, key) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('the runs a report shows', () => {
  it.each<[string, Array<[string, boolean]>, boolean, string[]]>([
    ['the latest invocation', [['inv-a', false], ['inv-b', false], ['inv-b', false]], false, ['run-0001', 'run-0002']],
    ['the latest complete one, past 100 newer partial runs (the window widens)', [['inv-a', false], ...partials(100)], false, ['run-0000']],
    ['the latest partial one when nothing is complete', partials(3, 'inv-p'), false, ['run-0000', 'run-0001', 'run-0002']],
    ['among runs started in one millisecond, as the rule over every run orders them', [['inv-a', false], ...partials(70), ['inv-b', false]], true, ['run-0000']],
  ])('%s', async (_what, runs, sameStart, expected) => {
    const reg = await registryOf(runs, sameStart);
    try {
      expect(ids(await selectRuns(counting(reg), undefined))).toEqual(expected);
      expect(fullReads).toBe(0);
    } finally {
      await reg.close();
    }
  });

  it('a run id, an invocation id and a prefix of either', async () => {
    const reg = await registryOf([['inv-aaaaaaaa', false], ['inv-bbbbbbbb', false], ['inv-bbbbbbbb', false]]);
    try {
      expect(ids(await selectRuns(counting(reg), 'run-0001'))).toEqual(['run-0001']);
      expect(ids(await selectRuns(counting(reg), 'inv-bbbbbbbb'))).toEqual(['run-0001', 'run-0002']);
      expect(fullReads).toBe(0);
      expect(ids(await selectRuns(reg, 'inv-aaa'))).toEqual(['run-0000']);
      await expect(selectRuns(reg, 'inv-zzzzzz')).rejects.toThrow(/no run or invocation "inv-zzzzzz"/);
      await expect(selectRuns(reg, 'run-00')).rejects.toThrow(/the start of more than one run or invocation id/);
    } finally {
      await reg.close();
    }
  });

  /** One finished run of invocation inv-one: a shard's, a merge's (`mergedFrom`) or an ordinary one. */
  async function addRun(reg: Registry, id: string, suite: string, startedAt: string, extra: Partial<RunSummary> = {}): Promise<void> {
    await reg.createRun({ id, invocationId: 'inv-one', inputsKey: id, promptId: 'p', version: '1.0.0', promptHash: 'ph', suite, suiteKind: 'golden', suiteHash: 'sh', model: 'm', server: 'http://x/v1', promptctlVersion: '0.1.0', startedAt });
    await reg.finishRun(id, 'finished', { ...summary(false), ...extra }, startedAt);
  }

  it('a merge job run again: the invocation is its newest merge of each suite, not the first', async () => {
    const reg = openSqliteRegistry({ path: ':memory:' });
    try {
      await addRun(reg, 'shard-1', 's', '2025-01-01T00:00:01.000Z', { partial: true, shard: { index: 1, count: 2 } });
      await addRun(reg, 'shard-2', 's', '2025-01-01T00:00:02.000Z', { partial: true, shard: { index: 2, count: 2 } });
      await addRun(reg, 'merge-old', 's', '2025-01-01T00:00:03.000Z', { mergedFrom: ['shard-1', 'shard-2'] });
      await addRun(reg, 'merge-new', 's', '2025-01-01T00:00:04.000Z', { mergedFrom: ['shard-1', 'shard-2'] });
      expect(ids(await selectRuns(reg, 'inv-one'))).toEqual(['merge-new']);
    } finally {
      await reg.close();
    }
  });

  it('runs of one invocation started in the same millisecond are listed by suite, not by the order they were written', async () => {
    const reg = openSqliteRegistry({ path: ':memory:' });
    try {
      for (const suite of ['zeta', 'alpha', 'mid']) await addRun(reg, `run-${suite}`, suite, '2025-01-01T00:00:01.000Z');
      expect(ids(await selectRuns(reg, 'inv-one'))).toEqual(['run-alpha', 'run-mid', 'run-zeta']);
      expect(ids(await selectRuns(reg, undefined))).toEqual(['run-alpha', 'run-mid', 'run-zeta']);
    } finally {
      await reg.close();
    }
  });

  it('an empty registry says so, with or without an id', async () => {
    const reg = openSqliteRegistry({ path: ':memory:' });
    try {
      await expect(selectRuns(reg, undefined)).rejects.toThrow('the registry has no runs yet');
      await expect(selectRuns(reg, 'abcdef')).rejects.toThrow('the registry has no runs yet');
    } finally {
      await reg.close();
    }
  });
});
