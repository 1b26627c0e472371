import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord, RunSummary } from '../../src/core/schemas/run.js';
import { countingRun, runsSinceCounting, type SuiteTarget } from '../../src/infra/eval/counting-run.js';
import { openSqliteRegistry } from '../../src/infra/registry/sqlite.js';
import type { Registry } from '../../src/infra/registry/types.js';
import { makeTempDir } from '../registry/harness.js';

/**
 * Which of two overlapping complete runs counts: the one that ended last (byRecency orders by
 * `endedAt ?? startedAt`), not the one that started last. SQLite keeps the client's times, so
 * they are given explicitly here (PostgreSQL takes its server's: postgres-server-clock.test.ts).
 * And which runs after it --filter-failing reads verdicts from (runsSinceCounting).
 */

const clock = { date: () => new Date('2025-03-01T09:00:00.000Z') };
const target: SuiteTarget = { promptId: 'support', version: '1.0.0', promptHash: 'ph', suite: 'faq', suiteHash: 'sh', model: 'llama' };
const run = (id: string, startedAt: string): Omit<RunRecord, 'status' | 'endedAt' | 'summary'> => ({
  id, invocationId: `inv-${id}`, inputsKey: `inputs-${id}`, promptId: 'support', version: '1.0.0', promptHash: 'ph', suite: 'faq',
  suiteKind: 'golden', suiteHash: 'sh', model: 'llama', server: 'http://localhost:8000/v1', promptctlVersion: '0.1.0', startedAt,
});
const summary = (passed: boolean): RunSummary => ({
  cases: 2, passed: passed ? 2 : 1, failed: passed ? 0 : 1, errored: 0, notRun: 0, samples: 2, passRate: passed ? 1 : 0.5,
  verdict: passed ? 'passed' : 'failed', latencyP50: 10, latencyP95: 20, latencyP99: 20, tokensIn: 10, tokensOut: 20, piiLeaks: 0,
});

describe('countingRun on overlapping runs', () => {
  const temps: Array<ReturnType<typeof makeTempDir>> = [];
  const opened: Registry[] = [];
  afterEach(async () => {
    for (const r of opened.splice(0)) await r.close();
    for (const t of temps.splice(0)) t.cleanup();
  });

  it('counts the run that ended last, though another started after it', async () => {
    const tmp = makeTempDir();
    temps.push(tmp);
    const reg = openSqliteRegistry({ path: join(tmp.dir, 'registry.db'), clock });
    opened.push(reg);
    // A starts first; B starts later and ends first; A fails and ends last (the order written, as
    // SQLite dates a run no earlier than the latest run time already recorded).
    await reg.createRun(run('A', '2025-03-01T10:00:00.000Z'));
    await reg.createRun(run('B', '2025-03-01T10:05:00.000Z'));
    await reg.finishRun('B', 'finished', summary(true), '2025-03-01T10:10:00.000Z');
    await reg.finishRun('A', 'finished', summary(false), '2025-03-01T10:20:00.000Z');
    const runs = await reg.listRuns({});
    expect(runs.map((r) => [r.id, r.startedAt, r.endedAt])).toEqual([
      ['A', '2025-03-01T10:00:00.000Z', '2025-03-01T10:20:00.000Z'],
      ['B', '2025-03-01T10:05:00.000Z', '2025-03-01T10:10:00.000Z'],
    ]);
    const counting = await countingRun(reg, target);
    expect(counting?.id).toBe('A');
    expect(counting?.summary?.verdict).toBe('failed');
  });

  // --filter-failing reads the latest verdicts from the counting run and the finished runs after it:
  // a --case run counts there, a shard's run (judged again in its merge) and a latency arm do not.
  it('runsSinceCounting keeps the partial runs after the counting one, but not a shard or a latency measurement', async () => {
    const tmp = makeTempDir();
    temps.push(tmp);
    const reg = openSqliteRegistry({ path: join(tmp.dir, 'registry.db'), clock });
    opened.push(reg);
    const partial: Array<[string, Partial<RunSummary>]> = [
      ['case', { partial: true }],
      ['shard', { partial: true, shard: { index: 1, count: 2 } }],
      ['latency', { partial: true, latency: { measurement: 'm1', arm: 'candidate', versus: { version: '0.9.0', hash: 'vh' } } }],
    ];
    await reg.createRun(run('full', '2025-03-01T10:00:00.000Z'));
    await reg.finishRun('full', 'finished', summary(false), '2025-03-01T10:01:00.000Z');
    for (const [i, [id, extra]] of partial.entries()) {
      const at = `2025-03-01T10:0${2 + i}:00.000Z`;
      await reg.createRun(run(id, at));
      await reg.finishRun(id, 'finished', { ...summary(true), ...extra }, at);
    }
    const { counting, later } = await runsSinceCounting(reg, target);
    expect(counting?.id).toBe('full');
    expect(later.map((r) => r.id)).toEqual(['case']);
  });
});
